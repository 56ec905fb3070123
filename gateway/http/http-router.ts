import type { TemplatedApp, HttpRequest as UwsRequest, HttpResponse as UwsResponse } from 'uWebSockets.js';
import { randomUUID } from 'node:crypto';
import type { Principal } from '../../core/auth/access-tokens.js';
import { AppError } from '../../core/domain/app-error.js';
import type { Logger } from '../../core/log.js';
import type { SeatChangeEffects } from '../../core/seat-change-effects.js';
import { normalizeAddress } from './client-address.js';
import { httpErrorReply } from './http-error-reply.js';
import type { HttpHeaderPolicy } from './http-header-policy.js';
import type { HttpRequest, HttpResponse } from './http-request.js';

export type HttpHandler = (req: HttpRequest) => Promise<HttpResponse>;
type Method = 'get' | 'post' | 'patch' | 'del';

export interface RouterOptions {
  maxBodyBytes: number;
  log: Logger;
  onResponse?: (method: string, route: string, status: number, seconds: number) => void;
  isShuttingDown?: () => boolean;
  isSessionEnded?: (principal: Principal) => boolean;
  /** The client's address from the peer and `X-Forwarded-For` (trusted proxies only). */
  clientAddress?: (peer: string, forwardedFor: string | undefined) => string;
  /** Security and CORS headers for every answer, and the preflight rules. */
  headerPolicy?: HttpHeaderPolicy;
  /** The after-commit path (gateway/socket/after-seat-change.ts): runs what a route handed to
   * `req.afterCommit`. */
  afterCommit: (effects: SeatChangeEffects) => void;
}

const textDecoder = new TextDecoder();

/** A body over the limit: VALIDATION_FAILED like any bad input, but with HTTP's own 413. */
class BodyTooLarge extends AppError {
  constructor(limit: number) {
    super('VALIDATION_FAILED', `body larger than ${limit} bytes`, { limitBytes: limit });
  }
}

/** Reads the whole body, refusing it as soon as it grows past the limit. */
function readBody(res: UwsResponse, limit: number, state: { aborted: boolean }): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    res.onData((chunk, isLast) => {
      if (state.aborted) return;
      size += chunk.byteLength;
      if (size > limit) {
        reject(new BodyTooLarge(limit));
        return;
      }
      // uWS reuses the chunk's memory after this callback returns: copy it.
      chunks.push(Buffer.from(new Uint8Array(chunk).slice()));
      if (isLast) resolve(Buffer.concat(chunks));
    });
  });
}

function parseJson(raw: Buffer, contentType: string): unknown {
  if (raw.length === 0) return undefined;
  if (!contentType.toLowerCase().startsWith('application/json')) {
    throw new AppError('VALIDATION_FAILED', 'content-type must be application/json');
  }
  try {
    return JSON.parse(textDecoder.decode(raw));
  } catch {
    throw new AppError('VALIDATION_FAILED', 'malformed JSON body');
  }
}

/** `decodeURIComponent` throws URIError on `%E0%A4%A`, `%zz`, lone surrogates: bad input, not a bug. */
function decodePathParameter(name: string, raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new AppError('VALIDATION_FAILED', `malformed percent-encoding in path parameter ${name}`, { param: name });
  }
}

function send(res: UwsResponse, reply: HttpResponse, requestId: string, policyHeaders: readonly (readonly [string, string])[]) {
  const text = reply.text ?? (reply.body === undefined ? '' : JSON.stringify(reply.body));
  res.cork(() => {
    res.writeStatus(String(reply.status));
    res.writeHeader('content-type', reply.contentType ?? 'application/json; charset=utf-8');
    res.writeHeader('x-request-id', requestId);
    const own = reply.headers ?? {};
    // A handler's own value wins over the policy's (one header line each, never both).
    const ownNames = new Set(Object.keys(own).map((k) => k.toLowerCase()));
    for (const [k, v] of policyHeaders) if (!ownNames.has(k)) res.writeHeader(k, v);
    for (const [k, v] of Object.entries(own)) res.writeHeader(k, v);
    res.end(text);
  });
}

/** The request id a client sent, when it looks like one; else a fresh one. */
function requestIdOf(header: string | undefined): string {
  return header !== undefined && /^[A-Za-z0-9-]{1,64}$/.test(header) ? header : randomUUID();
}

/** Last resort when reading the request itself failed; the response may already be gone. */
function sendInternalError(res: UwsResponse) {
  try {
    res.cork(() => {
      res.writeStatus('500').writeHeader('content-type', 'application/json; charset=utf-8');
      res.end(JSON.stringify({ error: { code: 'INTERNAL', message: 'internal error' } }));
    });
  } catch {
    // aborted or already answered: nothing left to send to
  }
}

/** Registers one route on the uWS app: body limits, JSON parsing, errors, request ids, logs. */
export function createRouter(app: TemplatedApp, options: RouterOptions) {
  const add = (method: Method, pattern: string, handler: HttpHandler) => {
    const paramNames = pattern
      .split('/')
      .filter((s) => s.startsWith(':'))
      .map((s) => s.slice(1));
    const serve = (res: UwsResponse, uwsReq: UwsRequest) => {
      const started = process.hrtime.bigint();
      const state = { aborted: false };
      res.onAborted(() => {
        state.aborted = true;
      });
      // Everything from uwsReq must be read now: it is invalid after the first await.
      const headers: Record<string, string> = {};
      uwsReq.forEach((k, v) => {
        headers[k] = v;
      });
      const rawParams = paramNames.map((_, i) => uwsReq.getParameter(i) ?? '');
      const requestId = requestIdOf(headers['x-request-id']);
      const peer = textDecoder.decode(res.getRemoteAddressAsText());
      const committed: SeatChangeEffects[] = [];
      const request: HttpRequest = {
        method: method === 'del' ? 'DELETE' : method.toUpperCase(),
        path: uwsReq.getUrl(),
        params: {},
        query: new URLSearchParams(uwsReq.getQuery() ?? ''),
        headers,
        body: undefined,
        requestId,
        ip: (options.clientAddress ?? ((peer: string) => peer))(peer, headers['x-forwarded-for']),
        peer: normalizeAddress(peer),
        isSessionEnded: options.isSessionEnded,
        afterCommit: (effects) => {
          committed.push(effects);
        },
      };
      const log = options.log.child({ requestId });
      const finish = (reply: HttpResponse) => {
        // A route's after-commit path, once, before its answer leaves (and when nobody waits for it).
        for (const effects of committed.splice(0)) {
          try {
            options.afterCommit(effects);
          } catch (err) {
            // The change is durable and each effect has its repair: the answer still goes out.
            log.error({ err, path: request.path }, 'after-commit effects failed');
          }
        }
        if (state.aborted) return;
        send(res, reply, requestId, options.headerPolicy?.responseHeaders(headers.origin) ?? []);
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        options.onResponse?.(request.method, pattern, reply.status, seconds);
        log.debug({ method: request.method, path: request.path, status: reply.status, ms: seconds * 1000 }, 'http');
      };
      const run = async () => {
        if (options.isShuttingDown?.()) throw new AppError('SHUTTING_DOWN', 'server is shutting down');
        // Decoded here, inside the promise: a malformed escape becomes a 400, never a throw in uWS.
        paramNames.forEach((name, i) => {
          request.params[name] = decodePathParameter(name, rawParams[i] as string);
        });
        if (method === 'post' || method === 'patch') {
          const declared = Number(headers['content-length'] ?? '0');
          if (declared > options.maxBodyBytes) {
            throw new BodyTooLarge(options.maxBodyBytes);
          }
          request.body = parseJson(await readBody(res, options.maxBodyBytes, state), headers['content-type'] ?? '');
        }
        return handler(request);
      };
      run().then(finish, (err: unknown) => {
        const { response, unexpected } = httpErrorReply(err);
        if (err instanceof BodyTooLarge) response.status = 413;
        if (unexpected) log.error({ err, path: request.path }, 'unhandled error in HTTP handler');
        finish(response);
      });
    };
    app[method](pattern, (res: UwsResponse, uwsReq: UwsRequest) => {
      // A throw inside a uWS callback takes the whole process down: nothing may escape here.
      try {
        serve(res, uwsReq);
      } catch (err) {
        options.log.error({ err, pattern }, 'HTTP request failed before its handler ran');
        sendInternalError(res);
      }
    });
  };
  /** Answers outside the routes: CORS preflights and 404 for unknown paths, with the same headers. */
  const fallback = (res: UwsResponse, uwsReq: UwsRequest, reply: (origin: string | undefined) => HttpResponse) => {
    try {
      const origin = uwsReq.getHeader('origin') || undefined;
      send(res, reply(origin), requestIdOf(uwsReq.getHeader('x-request-id') || undefined), []);
    } catch (err) {
      options.log.error({ err }, 'HTTP fallback failed');
      sendInternalError(res);
    }
  };
  const installFallbacks = () => {
    app.options('/*', (res, uwsReq) =>
      fallback(res, uwsReq, (origin) => {
        const answer = options.headerPolicy?.preflight(
          origin,
          uwsReq.getHeader('access-control-request-method') || undefined,
          uwsReq.getHeader('access-control-request-headers') || undefined,
        ) ?? { status: 403, headers: [], allowed: false };
        const body = answer.allowed ? undefined : { error: { code: 'FORBIDDEN', message: 'origin or request not allowed' } };
        return { status: answer.status, body, headers: Object.fromEntries(answer.headers) };
      }),
    );
    app.any('/*', (res, uwsReq) =>
      fallback(res, uwsReq, (origin) => ({
        status: 404,
        body: { error: { code: 'NOT_FOUND', message: 'no such route' } },
        headers: Object.fromEntries(options.headerPolicy?.responseHeaders(origin) ?? []),
      })),
    );
  };
  return {
    installFallbacks,
    get: (p: string, h: HttpHandler) => add('get', p, h),
    post: (p: string, h: HttpHandler) => add('post', p, h),
    patch: (p: string, h: HttpHandler) => add('patch', p, h),
    delete: (p: string, h: HttpHandler) => add('del', p, h),
  };
}

export type Router = ReturnType<typeof createRouter>;
