import type { Principal } from '../../core/auth/access-tokens.js';
import type { SeatChangeEffects } from '../../core/seat-change-effects.js';

export interface HttpRequest {
  method: string;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  headers: Record<string, string>;
  /** Parsed JSON body (undefined when there was none). */
  body: unknown;
  requestId: string;
  /** The address the client is counted as by limits (clientAddress: trusted proxies, IPv6 /64). */
  ip: string;
  /** The TCP peer as it is, whatever headers say (a loopback peer is this machine). */
  peer: string;
  /** Set by the router: true when this principal's sessions were ended after its token was issued. */
  isSessionEnded?: (principal: Principal) => boolean;
  /** What a committed seat change leaves to do, as its use case returned it: the router runs it
   * once, when the handler is done (answered or failed) and before the answer is sent, as the
   * command runner does with a command's. */
  afterCommit(effects: SeatChangeEffects): void;
}

export interface HttpResponse {
  status: number;
  body?: unknown;
  /** Raw body (metrics text, web app files); sent instead of JSON. */
  text?: string | Buffer;
  contentType?: string;
  headers?: Record<string, string>;
}
