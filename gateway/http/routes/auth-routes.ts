import { LoginBody, RefreshBody, RegisterBody } from '../../../core/contract/http.js';
import { parseInput } from '../../../core/contract/parse-input.js';
import { createBulkhead } from '../../../core/rate-limits/create-bulkhead.js';
import { loginUser } from '../../../core/use-cases/auth/login-user.js';
import { logout } from '../../../core/use-cases/auth/logout.js';
import { refreshSession } from '../../../core/use-cases/auth/refresh-session.js';
import { registerUser } from '../../../core/use-cases/auth/register-user.js';
import type { AppContext } from '../../app-context.js';
import type { Router } from '../http-router.js';
import { createLoginThrottle } from '../login-throttle.js';
import { createRegisterThrottle } from '../register-throttle.js';

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
    return { status: 200, body: await refreshSession(app.pool, refreshToken, tokens) };
  });
  router.post('/api/auth/logout', async (req) => {
    const { refreshToken } = parseInput(RefreshBody, req.body);
    await logout(app.pool, refreshToken);
    return { status: 204 };
  });
}
