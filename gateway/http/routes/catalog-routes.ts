import { z } from 'zod';
import { CreateEventBody, EventListQuery, UpdateEventBody } from '../../../core/contract/http.js';
import { Id } from '../../../core/contract/primitives.js';
import { parseInput } from '../../../core/domain/parse-input.js';
import { cancelEvent } from '../../../core/use-cases/catalog/cancel-event.js';
import { createEvent } from '../../../core/use-cases/catalog/create-event.js';
import { getEvent } from '../../../core/use-cases/catalog/get-event.js';
import { listEvents } from '../../../core/use-cases/catalog/list-events.js';
import { updateEvent } from '../../../core/use-cases/catalog/update-event.js';
import type { AppContext } from '../../context/app-context.js';
import { announceQueueState } from '../../waiting-room/announce-queue-state.js';
import type { Router } from '../http-router.js';
import { pageReply } from '../page-reply.js';
import { requireStaff } from '../require-staff.js';

const EventParams = z.object({ id: Id });

export function registerCatalogRoutes(router: Router, app: AppContext) {
  const secret = app.config.jwtAccessSecret;
  const defaults = {
    holdTtlSeconds: app.config.holdTtlSeconds,
    maxSeatsPerUser: app.config.maxSeatsPerUser,
    admission: app.config.admission,
  };

  router.get('/api/events', async (req) => {
    const query = parseInput(EventListQuery, Object.fromEntries(req.query));
    return pageReply(req, await listEvents(app.pool, app.now(), query));
  });
  router.get('/api/events/:id', async (req) => {
    const { id } = parseInput(EventParams, req.params);
    return { status: 200, body: await getEvent(app.pool, id, app.now()) };
  });
  router.post('/api/admin/events', async (req) => {
    const actor = await requireStaff(req, secret, app.pool);
    const body = parseInput(CreateEventBody, req.body);
    return { status: 201, body: await createEvent(app.pool, body, defaults, actor, app.now()) };
  });
  router.patch('/api/admin/events/:id', async (req) => {
    const actor = await requireStaff(req, secret, app.pool);
    const { id } = parseInput(EventParams, req.params);
    const body = parseInput(UpdateEventBody, req.body);
    const { event, effects } = await updateEvent(app.pool, id, body, actor, app.now());
    req.afterCommit(effects);
    return { status: 200, body: event };
  });
  router.delete('/api/admin/events/:id', async (req) => {
    const actor = await requireStaff(req, secret, app.pool);
    const { id } = parseInput(EventParams, req.params);
    const { effects, ...result } = await cancelEvent(app.pool, id, actor);
    req.afterCommit(effects);
    announceQueueState(app.io, id, 'cancelled', 'everywhere');
    return { status: 200, body: result };
  });
}
