import type { AuthReply } from '../../core/contract/http.js';
import type { Role } from '../../core/contract/primitives.js';
import { dbQuery } from './db-query.js';
import { http, registerUser } from './http-client.js';

/**
 * A fresh account given `role` directly in the store, then signed in again so its access token
 * carries the role too (what an admin's role change followed by a new login yields).
 */
export async function staffUser(baseUrl: string, databaseUrl: string, role: Role, name = 'Staff'): Promise<AuthReply> {
  const registered = await registerUser(baseUrl, name);
  await dbQuery(databaseUrl, 'UPDATE users SET role = $2 WHERE id = $1', [registered.user.id, role]);
  const login = await http<AuthReply>(baseUrl, 'POST', '/api/auth/login', {
    body: { email: registered.user.email, password: 'password-123' },
  });
  if (login.status !== 200) throw new Error(`login failed: ${login.status} ${JSON.stringify(login.body)}`);
  return login.body;
}
