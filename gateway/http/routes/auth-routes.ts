import { LoginBody, RefreshBody, RegisterBody } from '../../../core/contract/http.js';
import { parseInput } from '../../../core/contract/parse-input.js';
import { isAppError } from '../../../core/domain/app-error.js';
import { loginUser } from '../../../core/use-cases/auth/login-user.js';
import { logout } from '../../../core/use-cases/auth/logout.js';
import { refreshSession } from '../../../core/use-cases/auth/refresh-session.js';
import { registerUser } from '../../../core/use-cases/auth/register-user.js';
import type { AppContext } from '../../app-context.js';
import type { Router } from '../http-router.js';
import type { LoginThrottle } from '../login-throttle.js';

export function registerAuthRoutes(router: Router, app: AppContext, throttle: LoginThrottle) {
  const tokens = app.config;
  router.post('/api/auth/register', async (req) => {
    const body = parseInput(RegisterBody, req.body);
    return { status: 201, body: await registerUser(app.pool, body, tokens) };
  });
  router.post('/api/auth/login', async (req) => {
    const body = parseInput(LoginBody, req.body);
    const email = body.email.trim().toLowerCase();
    await throttle.check(email, req.ip);
    try {
      const session = await loginUser(app.pool, body, tokens);
      await throttle.reset(email);
      return { status: 200, body: session };
    } catch (err) {
      if (isAppError(err) && err.code === 'UNAUTHENTICATED') await throttle.recordFailure(email, req.ip);
      throw err;
    }
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
