import { z } from 'zod';
import { Id } from '../../../core/contract/primitives.js';
import { CreateVenueBody, UpdateVenueBody, VenueListQuery } from '../../../core/contract/venues.js';
import { parseInput } from '../../../core/domain/parse-input.js';
import { createVenue } from '../../../core/use-cases/venues/create-venue.js';
import { deleteVenue } from '../../../core/use-cases/venues/delete-venue.js';
import { getVenue } from '../../../core/use-cases/venues/get-venue.js';
import { listVenues } from '../../../core/use-cases/venues/list-venues.js';
import { updateVenue } from '../../../core/use-cases/venues/update-venue.js';
import type { AppContext } from '../../context/app-context.js';
import type { Router } from '../http-router.js';
import { pageReply } from '../page-reply.js';
import { requireStaff } from '../require-staff.js';

const VenueParams = z.object({ id: Id });

/** Venues with saved layouts: admins see and change all, organizers their own. */
export function registerVenueRoutes(router: Router, app: AppContext) {
  const secret = app.config.jwtAccessSecret;
  router.get('/api/admin/venues', async (req) => {
    const actor = await requireStaff(req, secret, app.pool);
    const query = parseInput(VenueListQuery, Object.fromEntries(req.query));
    return pageReply(req, await listVenues(app.pool, actor, query));
  });
  router.get('/api/admin/venues/:id', async (req) => {
    const actor = await requireStaff(req, secret, app.pool);
    const { id } = parseInput(VenueParams, req.params);
    return { status: 200, body: await getVenue(app.pool, actor, id) };
  });
  router.post('/api/admin/venues', async (req) => {
    const actor = await requireStaff(req, secret, app.pool);
    const body = parseInput(CreateVenueBody, req.body);
    return { status: 201, body: await createVenue(app.pool, actor, body) };
  });
  router.patch('/api/admin/venues/:id', async (req) => {
    const actor = await requireStaff(req, secret, app.pool);
    const { id } = parseInput(VenueParams, req.params);
    const body = parseInput(UpdateVenueBody, req.body);
    return { status: 200, body: await updateVenue(app.pool, actor, id, body) };
  });
  router.delete('/api/admin/venues/:id', async (req) => {
    const actor = await requireStaff(req, secret, app.pool);
    const { id } = parseInput(VenueParams, req.params);
    await deleteVenue(app.pool, actor, id);
    return { status: 204 };
  });
}
