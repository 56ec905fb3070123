import { Link } from '../router.js';
import { DashboardPage } from './dashboard-page.js';
import { EventsAdminPage } from './events-admin-page.js';

/** The admin console: `/admin` (live dashboard and waiting-room controls), `/admin/events`. */
export function AdminPage({ path }: { path: string }) {
  return (
    <main>
      <nav className="subnav" aria-label="Console">
        <Link href="/admin" aria-current={path === '/admin' ? 'page' : undefined}>
          Live dashboard
        </Link>
        <Link href="/admin/events" aria-current={path === '/admin/events' ? 'page' : undefined}>
          Events
        </Link>
      </nav>
      {path === '/admin/events' ? <EventsAdminPage /> : <DashboardPage />}
    </main>
  );
}
