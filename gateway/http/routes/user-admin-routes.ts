import { z } from 'zod';
import { Id } from '../../../core/contract/primitives.js';
import { UpdateUserBody, UserListQuery } from '../../../core/contract/users-admin.js';
import { parseInput } from '../../../core/domain/parse-input.js';
import { changeUserRole } from '../../../core/use-cases/users/change-user-role.js';
import { listUsers } from '../../../core/use-cases/users/list-users.js';
import type { AppContext } from '../../context/app-context.js';
import type { Router } from '../http-router.js';
import { pageReply } from '../page-reply.js';
import { requireCurrentAdmin } from '../require-staff.js';

const UserParams = z.object({ id: Id });

/** Account management, admins only. */
export function registerUserAdminRoutes(router: Router, app: AppContext) {
  const secret = app.config.jwtAccessSecret;
  router.get('/api/admin/users', async (req) => {
    await requireCurrentAdmin(req, secret, app.pool);
    const query = parseInput(UserListQuery, Object.fromEntries(req.query));
    return pageReply(req, await listUsers(app.pool, query));
  });
  router.patch('/api/admin/users/:id', async (req) => {
    const actor = await requireCurrentAdmin(req, secret, app.pool);
    const { id } = parseInput(UserParams, req.params);
    const { role } = parseInput(UpdateUserBody, req.body);
    return { status: 200, body: await changeUserRole(app, actor, id, role) };
  });
}
