import { z } from 'zod';
import { CreateEventBody, UpdateEventBody } from '../../../core/contract/http.js';
import { parseInput } from '../../../core/contract/parse-input.js';
import { Id } from '../../../core/contract/primitives.js';
import { cancelEvent } from '../../../core/use-cases/catalog/cancel-event.js';
import { createEvent } from '../../../core/use-cases/catalog/create-event.js';
import { getEvent } from '../../../core/use-cases/catalog/get-event.js';
import { listEvents } from '../../../core/use-cases/catalog/list-events.js';
import { updateEvent } from '../../../core/use-cases/catalog/update-event.js';
import type { AppContext } from '../../app-context.js';
import type { Router } from '../http-router.js';
import { requireAdmin } from '../require-principal.js';

const EventParams = z.object({ id: Id });
const ListQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }).strict();

export function registerCatalogRoutes(router: Router, app: AppContext) {
  const secret = app.config.jwtAccessSecret;
  const defaults = {
    holdTtlSeconds: app.config.holdTtlSeconds,
    maxSeatsPerUser: app.config.maxSeatsPerUser,
    admission: app.config.admission,
  };

  router.get('/api/events', async (req) => {
    const { limit } = parseInput(ListQuery, Object.fromEntries(req.query));
    return { status: 200, body: await listEvents(app.pool, app.now(), limit) };
  });
  router.get('/api/events/:id', async (req) => {
    const { id } = parseInput(EventParams, req.params);
    return { status: 200, body: await getEvent(app.pool, id, app.now()) };
  });
  router.post('/api/admin/events', async (req) => {
    const admin = requireAdmin(req, secret);
    const body = parseInput(CreateEventBody, req.body);
    return { status: 201, body: await createEvent(app.pool, body, defaults, admin.userId, app.now()) };
  });
  router.patch('/api/admin/events/:id', async (req) => {
    const admin = requireAdmin(req, secret);
    const { id } = parseInput(EventParams, req.params);
    const body = parseInput(UpdateEventBody, req.body);
    return { status: 200, body: await updateEvent(app.pool, id, body, admin.userId, app.now()) };
  });
  router.delete('/api/admin/events/:id', async (req) => {
    const admin = requireAdmin(req, secret);
    const { id } = parseInput(EventParams, req.params);
    const { changes, ...result } = await cancelEvent(app.pool, id, admin.userId);
    app.seatChanges.publish(id, changes);
    return { status: 200, body: result };
  });
}
