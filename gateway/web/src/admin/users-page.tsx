import { type FormEvent, useCallback, useEffect, useState } from 'react';
import type { Role } from '../../../../core/contract/primitives.js';
import type { AdminUser } from '../../../../core/contract/users-admin.js';
import { api, apiPage } from '../api/http-api.js';
import { getSession } from '../api/session.js';
import { formatWhen } from './local-time.js';
import { problemText } from './problem-text.js';

const ROLES: Role[] = ['user', 'organizer', 'admin'];

/** Accounts (admins only): search by name or email, change a role; the server then ends that user's sessions. */
export function UsersPage() {
  const [users, setUsers] = useState<AdminUser[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [query, setQuery] = useState({ q: '', role: '' });
  const [message, setMessage] = useState('');
  const me = getSession()?.user.id;

  const load = useCallback(async (q: { q: string; role: string }) => {
    const params = new URLSearchParams({ limit: '50' });
    if (q.q) params.set('q', q.q);
    if (q.role) params.set('role', q.role);
    try {
      const page = await apiPage<AdminUser>(`/api/admin/users?${params}`);
      setUsers(page.items);
      setNext(page.next);
    } catch (err) {
      setMessage(problemText(err));
    }
  }, []);
  useEffect(() => {
    void load(query);
  }, [load, query]);

  const more = async () => {
    if (!next) return;
    const page = await apiPage<AdminUser>(next);
    setUsers((u) => [...(u ?? []), ...page.items]);
    setNext(page.next);
  };

  const search = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    setQuery({ q: String(f.get('q') ?? '').trim(), role: String(f.get('role') ?? '') });
  };

  const changeRole = async (u: AdminUser, role: Role) => {
    setMessage('');
    try {
      const updated = await api<AdminUser>('PATCH', `/api/admin/users/${u.id}`, { role });
      setUsers((list) => (list ?? []).map((x) => (x.id === u.id ? updated : x)));
      setMessage(`${updated.name} is now ${updated.role}; their sessions were ended.`);
    } catch (err) {
      setMessage(problemText(err));
    }
  };

  return (
    <>
      <h1>Users</h1>
      <form onSubmit={search} className="inline" aria-label="Search users">
        <label>
          Name or email
          <input name="q" type="search" maxLength={200} defaultValue={query.q} />
        </label>
        <label>
          Role
          <select name="role" defaultValue={query.role}>
            <option value="">Any</option>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">Search</button>
      </form>
      {message && (
        <p className="notice" role="status" data-testid="users-message">
          {message}
        </p>
      )}
      {users && users.length === 0 && <p>No accounts match.</p>}
      {users && users.length > 0 && (
        <div className="table-wrap">
          <table aria-label="Accounts">
            <thead>
              <tr>
                <th>Name</th>
                <th>Email</th>
                <th>Since</th>
                <th>Role</th>
              </tr>
            </thead>
            <tbody>
              {users.map((u) => (
                <tr key={u.id} data-testid="user-row">
                  <td>{u.name}</td>
                  <td>{u.email}</td>
                  <td>{formatWhen(u.createdAt)}</td>
                  <td>
                    <select
                      aria-label={`Role of ${u.email}`}
                      value={u.role}
                      disabled={u.id === me}
                      onChange={(e) => void changeRole(u, e.target.value as Role)}
                    >
                      {ROLES.map((r) => (
                        <option key={r} value={r}>
                          {r}
                        </option>
                      ))}
                    </select>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {next && (
        <button type="button" className="secondary" onClick={() => void more()}>
          More
        </button>
      )}
    </>
  );
}
