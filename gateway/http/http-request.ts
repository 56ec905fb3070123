import type { Principal } from '../../core/auth/access-tokens.js';

export interface HttpRequest {
  method: string;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  headers: Record<string, string>;
  /** Parsed JSON body (undefined when there was none). */
  body: unknown;
  requestId: string;
  ip: string;
  /** Set by the router: true when this principal's sessions were ended after its token was issued. */
  isSessionEnded?: (principal: Principal) => boolean;
}

export interface HttpResponse {
  status: number;
  body?: unknown;
  /** Raw body (metrics text, web app files); sent instead of JSON. */
  text?: string | Buffer;
  contentType?: string;
  headers?: Record<string, string>;
}
