import type { z } from 'zod';

/** Who may call a route: nobody signed in, any user, admins and organizers, admins only. */
export type Access = 'anyone' | 'user' | 'staff' | 'admin' | 'metrics';

export interface HttpRoute {
  method: 'get' | 'post' | 'patch' | 'delete';
  /** OpenAPI form: `{id}`. */
  path: string;
  summary: string;
  tag: string;
  access: Access;
  params?: z.AnyZodObject;
  query?: z.ZodTypeAny;
  body?: z.ZodTypeAny;
  /** Status -> reply schema (JSON), `'text'` for text bodies, null for no body. */
  replies: Record<number, z.ZodTypeAny | 'text' | null>;
  /** A page announced by a `Link: <...>; rel="next"` header. */
  paged?: boolean;
  /** Request headers the route reads (`Idempotency-Key`). */
  headers?: z.AnyZodObject;
  /** Error statuses beyond those of its access level (409 on a state conflict, 429, 503...). */
  errors?: number[];
}
