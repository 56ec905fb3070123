import { z } from 'zod';
import { CreateAccessCodesBody } from '../../../core/contract/access-codes.js';
import { Id } from '../../../core/contract/primitives.js';
import { parseInput } from '../../../core/domain/parse-input.js';
import { createAccessCodes } from '../../../core/use-cases/access-codes/create-access-codes.js';
import type { AppContext } from '../../context/app-context.js';
import type { Router } from '../http-router.js';
import { requireStaff } from '../require-staff.js';

const EventParams = z.object({ id: Id });

export function registerAccessCodeRoutes(router: Router, app: AppContext) {
  router.post('/api/admin/events/:id/access-codes', async (req) => {
    const actor = await requireStaff(req, app.config.jwtAccessSecret, app.pool);
    const { id } = parseInput(EventParams, req.params);
    const body = parseInput(CreateAccessCodesBody, req.body);
    return { status: 201, body: await createAccessCodes(app.pool, actor, id, body) };
  });
}
