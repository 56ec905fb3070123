import { LoginBody, RefreshBody, RegisterBody } from '../../../core/contract/http.js';
import { parseInput } from '../../../core/domain/parse-input.js';
import { createBulkhead } from '../../../core/rate-limits/create-bulkhead.js';
import { endSession } from '../../../core/use-cases/auth/end-session.js';
import { loginUser } from '../../../core/use-cases/auth/login-user.js';
import { refreshSession } from '../../../core/use-cases/auth/refresh-session.js';
import { registerUser } from '../../../core/use-cases/auth/register-user.js';
import type { AppContext } from '../../context/app-context.js';
import type { Router } from '../http-router.js';
import { createLoginThrottle } from '../login-throttle.js';
import { createRegisterThrottle } from '../register-throttle.js';
import { registerAccountRoutes } from './account-routes.js';

export function registerAuthRoutes(router: Router, app: AppContext) {
  const tokens = app.config;
  const throttle = createLoginThrottle(app.redis, app.keys.loginFailures, {
    maxFailures: app.config.loginMaxFailures,
    maxFailuresPerAddress: app.config.loginMaxFailuresPerAddress,
    windowSeconds: app.config.loginWindowSeconds,
  });
  const registrations = createRegisterThrottle(app.redis, app.keys.registrations, app.config.registerLimit);
  const passwordWork = createBulkhead(app.config.passwordWork.concurrency, app.config.passwordWork.queue, 500);
  router.post('/api/auth/register', async (req) => {
    const body = parseInput(RegisterBody, req.body);
    // After validation (bad input costs no allowance), before the argon2 hash it protects.
    await registrations.attempt(req.ip);
    return { status: 201, body: await passwordWork.run(() => registerUser(app.pool, body, tokens)) };
  });
  router.post('/api/auth/login', async (req) => {
    const body = parseInput(LoginBody, req.body);
    const email = body.email.trim().toLowerCase();
    await throttle.attempt(email, req.ip);
    const session = await passwordWork.run(() => loginUser(app.pool, body, tokens));
    await throttle.succeeded(email, req.ip);
    return { status: 200, body: session };
  });
  router.post('/api/auth/refresh', async (req) => {
    const { refreshToken } = parseInput(RefreshBody, req.body);
    return { status: 200, body: await refreshSession(app, refreshToken, tokens) };
  });
  router.post('/api/auth/logout', async (req) => {
    const { refreshToken } = parseInput(RefreshBody, req.body);
    // Ends that sign-in everywhere: refresh tokens, its access tokens, its sockets.
    await endSession({ pool: app.pool, redis: app.redis, keys: app.keys, now: app.now }, refreshToken);
    return { status: 204 };
  });
  registerAccountRoutes(router, app, { throttle });
}
