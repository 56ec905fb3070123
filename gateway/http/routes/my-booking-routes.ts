import { z } from 'zod';
import { MyBookingsQuery } from '../../../core/contract/my-bookings.js';
import { Id } from '../../../core/contract/primitives.js';
import { parseInput } from '../../../core/domain/parse-input.js';
import { getMyBooking, listMyBookings } from '../../../core/use-cases/bookings/list-my-bookings.js';
import type { AppContext } from '../../context/app-context.js';
import type { Router } from '../http-router.js';
import { pageReply } from '../page-reply.js';
import { requireUser } from '../require-principal.js';

const BookingParams = z.object({ id: Id });

/** The signed-in user's bookings over HTTP (what `booking:list` answers on the socket). */
export function registerMyBookingRoutes(router: Router, app: AppContext) {
  const secret = app.config.jwtAccessSecret;
  router.get('/api/me/bookings', async (req) => {
    const user = requireUser(req, secret);
    const query = parseInput(MyBookingsQuery, Object.fromEntries(req.query));
    return pageReply(req, await listMyBookings(app.pool, user.userId, query));
  });
  router.get('/api/me/bookings/:id', async (req) => {
    const user = requireUser(req, secret);
    const { id } = parseInput(BookingParams, req.params);
    return { status: 200, body: await getMyBooking(app.pool, user.userId, id) };
  });
}
