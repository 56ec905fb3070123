import { extendZodWithOpenApi, OpenAPIRegistry, OpenApiGeneratorV31, type ResponseConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { ErrorCode } from '../../core/contract/error-codes.js';
import { HttpError } from '../../core/contract/http.js';
import { type HttpRoute, httpRoutes } from './http-api.js';

extendZodWithOpenApi(z);

const ERROR_STATUSES: Record<HttpRoute['access'], number[]> = {
  anyone: [400],
  user: [400, 401, 404],
  staff: [400, 401, 403, 404],
  admin: [400, 401, 403, 404],
  metrics: [401],
};

const describeStatus = (status: number) =>
  ({
    200: 'OK',
    201: 'Created',
    204: 'No content',
    304: 'Not modified',
    400: 'Bad input (VALIDATION_FAILED)',
    401: 'UNAUTHENTICATED',
    403: 'FORBIDDEN',
    402: 'PAYMENT_DECLINED',
    404: 'Not found',
    409: 'The state does not allow it (SOLD_OUT, SEAT_UNAVAILABLE, HOLD_EXPIRED, CONFLICT...)',
    429: 'RATE_LIMITED: retry after Retry-After seconds',
    503: 'Not ready, OVERLOADED or SHUTTING_DOWN: retry after Retry-After seconds',
  })[status] ?? String(status);

const RETRY_AFTER = {
  'Retry-After': {
    description: "Seconds to wait before retrying (the error's retryAfterMs, rounded up)",
    schema: { type: 'integer' },
  },
} as const;

/** OpenAPI 3.1 of the HTTP API, from the zod schemas the handlers parse with (built once per process). */
export function buildOpenApi(version: string): Record<string, unknown> {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  const error = registry.register('Error', HttpError);
  for (const route of httpRoutes) {
    const responses: Record<string, ResponseConfig> = {};
    for (const [status, reply] of Object.entries(route.replies)) {
      const description = describeStatus(Number(status));
      if (reply === null) responses[status] = { description };
      else if (reply === 'text') responses[status] = { description, content: { 'text/plain': { schema: z.string() } } };
      else {
        responses[status] = { description, content: { 'application/json': { schema: reply } } };
        if (route.paged) {
          (responses[status] as ResponseConfig).headers = {
            Link: {
              description: 'The next page: `<path?...&cursor=...>; rel="next"` (absent on the last page)',
              schema: { type: 'string' },
            },
          };
        }
      }
    }
    for (const status of [...ERROR_STATUSES[route.access], ...(route.errors ?? [])]) {
      responses[String(status)] ??= { description: describeStatus(status), content: { 'application/json': { schema: error } } };
      if (status === 429 || status === 503) (responses[String(status)] as ResponseConfig).headers = RETRY_AFTER;
    }
    registry.registerPath({
      method: route.method,
      path: route.path,
      summary: route.summary,
      tags: [route.tag],
      operationId: `${route.method}${route.path.replace(/[{}]/g, '').replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
      ...(route.access === 'anyone' || route.access === 'metrics' ? {} : { security: [{ bearer: [] }] }),
      request: {
        ...(route.params ? { params: route.params } : {}),
        ...(route.query ? { query: unwrapObject(route.query) } : {}),
        ...(route.headers ? { headers: route.headers } : {}),
        ...(route.body ? { body: { required: true, content: { 'application/json': { schema: route.body } } } } : {}),
      },
      responses,
    });
  }
  const doc = new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Evently HTTP API',
      version,
      description: `Errors reply {error:{code, message, details?}}; codes: ${Object.keys(ErrorCode).join(', ')}. The Socket.IO contract is at /api/asyncapi.json.`,
    },
    servers: [{ url: '/' }],
  });
  return JSON.parse(JSON.stringify(doc));
}

/** Query schemas may carry refinements: the parameters are the object underneath. */
function unwrapObject(schema: z.ZodTypeAny): z.AnyZodObject {
  let s: z.ZodTypeAny = schema;
  while (s instanceof z.ZodEffects) s = s.innerType();
  return s as z.AnyZodObject;
}
