import type { Page } from '../../core/domain/page-cursor.js';
import type { HttpRequest, HttpResponse } from './http-request.js';

/**
 * A page as a JSON array (the reply stays an array for v1 clients) with the next page announced
 * as `Link: <path?...&cursor=...>; rel="next"` (RFC 8288), keeping the request's other filters.
 */
export function pageReply<T>(req: HttpRequest, page: Page<T>): HttpResponse {
  if (!page.nextCursor) return { status: 200, body: page.items };
  const query = new URLSearchParams(req.query);
  query.set('cursor', page.nextCursor);
  return { status: 200, body: page.items, headers: { link: `<${req.path}?${query.toString()}>; rel="next"` } };
}
