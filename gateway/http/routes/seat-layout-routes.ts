import { z } from 'zod';
import { Id } from '../../../core/contract/primitives.js';
import { parseInput } from '../../../core/domain/parse-input.js';
import type { AppContext } from '../../context/app-context.js';
import type { Router } from '../http-router.js';

const EventParams = z.object({ id: Id });

/** `If-None-Match` may list several validators, or `*`. */
function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch
    .split(',')
    .map((t) => t.trim())
    .some((t) => t === '*' || t === etag);
}

/**
 * The static seat layout. It never changes once the sale (or presale) opened, so it is served
 * from the gateway's memory with a strong ETag and may then be kept by browsers and CDNs for five
 * minutes: a subscriber fetches it once and then only takes the compact live state over the
 * socket. Before that the organizer may still edit it, so caches must revalidate (`no-cache`).
 */
export function registerSeatLayoutRoutes(router: Router, app: AppContext) {
  router.get('/api/events/:id/seats', async (req) => {
    const { id } = parseInput(EventParams, req.params);
    const layout = await app.liveSeats.layout(id);
    // Before the sale opens an organizer may still reprice or reshape it: revalidate every time.
    const fixed = app.now().getTime() >= layout.opensAtMs;
    const headers = { etag: layout.etag, 'cache-control': fixed ? 'public, max-age=300' : 'no-cache' };
    if (matches(req.headers['if-none-match'], layout.etag)) return { status: 304, text: '', headers };
    return { status: 200, text: layout.json, headers };
  });
}
