import { z } from 'zod';
import { parseInput } from '../../../core/contract/parse-input.js';
import { Id } from '../../../core/contract/primitives.js';
import type { AppContext } from '../../app-context.js';
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
 * v1.1 static seat layout. It never changes for an event, so it is served from the gateway's
 * memory with a strong ETag and may be kept by browsers and CDNs: a subscriber fetches it once
 * and then only takes the compact live state over the socket.
 */
export function registerSeatLayoutRoutes(router: Router, app: AppContext) {
  router.get('/api/events/:id/seats', async (req) => {
    const { id } = parseInput(EventParams, req.params);
    const layout = await app.liveSeats.layout(id);
    const headers = { etag: layout.etag, 'cache-control': 'public, max-age=300' };
    if (matches(req.headers['if-none-match'], layout.etag)) return { status: 304, text: '', headers };
    return { status: 200, text: layout.json, headers };
  });
}
