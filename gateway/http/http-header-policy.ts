import type { Config } from '../../core/config.js';

type Header = readonly [string, string];

const ALLOWED_METHODS = 'GET, POST, PATCH, DELETE';
const ALLOWED_HEADERS = ['authorization', 'content-type', 'x-request-id', 'if-none-match'];
/** Response headers a browser script may read cross-origin (paging links, request ids, caching). */
const EXPOSED_HEADERS = 'x-request-id, link, etag, retry-after';

export interface PreflightAnswer {
  status: number;
  headers: Header[];
  allowed: boolean;
}

/**
 * Security headers for every HTTP answer, and CORS for the configured origins only. Tokens travel
 * in `Authorization`, not cookies, so credentials stay off unless configured; an allowed origin
 * is echoed exactly (never `*` with credentials) with `Vary: Origin` so caches keep them apart.
 */
export function createHttpHeaderPolicy(config: Pick<Config, 'cors' | 'contentSecurityPolicy' | 'hstsMaxAgeSeconds'>) {
  const { origins, allowCredentials, maxAgeSeconds } = config.cors;
  const anyOrigin = origins.includes('*');
  const allowedOrigins = new Set(origins);
  const security: Header[] = [
    ['x-content-type-options', 'nosniff'],
    ['x-frame-options', 'DENY'],
    ['referrer-policy', 'no-referrer'],
    ['content-security-policy', config.contentSecurityPolicy],
    ['cross-origin-opener-policy', 'same-origin'],
  ];
  if (config.hstsMaxAgeSeconds > 0) security.push(['strict-transport-security', `max-age=${config.hstsMaxAgeSeconds}`]);

  const isAllowedOrigin = (origin: string | undefined): origin is string =>
    origin !== undefined && (anyOrigin || allowedOrigins.has(origin));

  const corsHeaders = (origin: string): Header[] => {
    const h: Header[] = [['access-control-allow-origin', anyOrigin && !allowCredentials ? '*' : origin]];
    if (allowCredentials) h.push(['access-control-allow-credentials', 'true']);
    return h;
  };

  return {
    isAllowedOrigin,
    /** For every response: security headers, plus CORS when the request's Origin is allowed. */
    responseHeaders(origin: string | undefined): Header[] {
      const vary: Header[] = origins.length > 0 ? [['vary', 'Origin']] : [];
      if (!isAllowedOrigin(origin)) return [...security, ...vary];
      return [...security, ...vary, ...corsHeaders(origin), ['access-control-expose-headers', EXPOSED_HEADERS]];
    },
    /** The answer to `OPTIONS` with `Access-Control-Request-Method`: 204 when allowed, else 403. */
    preflight(origin: string | undefined, method: string | undefined, requestHeaders: string | undefined): PreflightAnswer {
      const wanted = (requestHeaders ?? '')
        .split(',')
        .map((h) => h.trim().toLowerCase())
        .filter(Boolean);
      const allowed =
        isAllowedOrigin(origin) &&
        method !== undefined &&
        ALLOWED_METHODS.split(', ').includes(method.toUpperCase()) &&
        wanted.every((h) => ALLOWED_HEADERS.includes(h));
      const vary: Header = ['vary', 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers'];
      if (!allowed) return { status: 403, headers: [...security, vary], allowed: false };
      return {
        status: 204,
        allowed: true,
        headers: [
          ...security,
          vary,
          ...corsHeaders(origin as string),
          ['access-control-allow-methods', ALLOWED_METHODS],
          ['access-control-allow-headers', ALLOWED_HEADERS.join(', ')],
          ['access-control-max-age', String(maxAgeSeconds)],
        ],
      };
    },
  };
}

export type HttpHeaderPolicy = ReturnType<typeof createHttpHeaderPolicy>;
