import type { AuthReply } from '../../core/contract/http.js';
import { ADMIN } from './test-env.js';

export interface HttpResult<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

/** A tiny fetch wrapper for the HTTP API; `raw` sends the body as given (hostile input). */
export async function http<T = any>(
  baseUrl: string,
  method: string,
  path: string,
  opts: { body?: unknown; raw?: string; token?: string; headers?: Record<string, string> } = {},
): Promise<HttpResult<T>> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let body: string | undefined;
  if (opts.raw !== undefined) body = opts.raw;
  else if (opts.body !== undefined) body = JSON.stringify(opts.body);
  if (body !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
  const res = await fetch(baseUrl + path, { method, headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON (metrics)
  }
  return { status: res.status, body: parsed as T, headers: res.headers };
}

let counter = 0;
/** Registers a fresh user and returns its session. */
export async function registerUser(baseUrl: string, name = 'Test User'): Promise<AuthReply> {
  counter += 1;
  const email = `user-${process.pid}-${Date.now()}-${counter}-${Math.random().toString(36).slice(2, 8)}@evently.test`;
  const res = await http<AuthReply>(baseUrl, 'POST', '/api/auth/register', { body: { email, password: 'password-123', name } });
  if (res.status !== 201) throw new Error(`register failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function loginAdmin(baseUrl: string): Promise<AuthReply> {
  const res = await http<AuthReply>(baseUrl, 'POST', '/api/auth/login', { body: ADMIN });
  if (res.status !== 200) throw new Error(`admin login failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}
