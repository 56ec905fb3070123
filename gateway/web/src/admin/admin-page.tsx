import { Link } from '../components/router.js';
import { useSession } from '../live/hooks.js';
import { DashboardPage } from './dashboard-page.js';
import { EventConsolePage } from './event-console-page.js';
import { EventsAdminPage } from './events-admin-page.js';
import { ReportsPage } from './reports-page.js';
import { SaleDayPage } from './sale-day-page.js';
import { UsersPage } from './users-page.js';
import { VenuesPage } from './venues-page.js';

/**
 * The organizer's console (lazy-loaded chunk). Organizers see their own events and venues (the
 * server enforces it; these pages only ask for what it lets them touch); admins see all and Users.
 */
export function AdminPage({ path }: { path: string }) {
  const isAdmin = useSession()?.user.role === 'admin';
  const links: [string, string][] = [
    ['/admin', 'Live dashboard'],
    ['/admin/sale-day', 'Sale day'],
    ['/admin/events', 'Events'],
    ['/admin/venues', 'Venues'],
    ['/admin/reports', 'Reports'],
    ...(isAdmin ? ([['/admin/users', 'Users']] as [string, string][]) : []),
  ];
  const current = links.reduce((best, [href]) => (path === href || path.startsWith(`${href}/`) ? href : best), '/admin');
  return (
    <main>
      <nav className="subnav" aria-label="Console">
        {links.map(([href, label]) => (
          <Link key={href} href={href} aria-current={current === href ? 'page' : undefined}>
            {label}
          </Link>
        ))}
      </nav>
      <ConsoleRoute path={path} isAdmin={isAdmin} />
    </main>
  );
}

function ConsoleRoute({ path, isAdmin }: { path: string; isAdmin: boolean }) {
  const event = /^\/admin\/events\/([0-9a-f-]{36})(\/codes|\/waitlist|\/audit)?$/.exec(path);
  if (event) return <EventConsolePage eventId={event[1]!} tab={event[2] ?? ''} />;
  if (path === '/admin/events') return <EventsAdminPage />;
  if (path === '/admin/venues') return <VenuesPage />;
  if (path === '/admin/reports') return <ReportsPage isAdmin={isAdmin} />;
  if (path === '/admin/sale-day') return <SaleDayPage />;
  if (path === '/admin/users' && isAdmin) return <UsersPage />;
  if (path === '/admin') return <DashboardPage isAdmin={isAdmin} />;
  return (
    <>
      <h1>Page not found</h1>
      <p>
        <Link href="/admin">Back to the console</Link>
      </p>
    </>
  );
}
