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
}

export interface HttpResponse {
  status: number;
  body?: unknown;
  /** Raw text body (metrics); sent instead of JSON. */
  text?: string;
  contentType?: string;
  headers?: Record<string, string>;
}
