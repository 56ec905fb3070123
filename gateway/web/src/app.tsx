import { lazy, Suspense } from 'react';
import { signOut } from './api/session.js';
import { useConnectionState, useSession } from './live/hooks.js';
import { BookingsPage } from './pages/bookings-page.js';
import { CatalogPage } from './pages/catalog-page.js';
import { EventPage } from './pages/event-page.js';
import { LoginPage } from './pages/login-page.js';
import { Link, navigate, usePath } from './router.js';

// The console (and uPlot) load only for admins who open it.
const AdminPage = lazy(() => import('./admin/admin-page.js').then((m) => ({ default: m.AdminPage })));

function Page({ path }: { path: string }) {
  const session = useSession();
  const event = /^\/events\/([^/]+)$/.exec(path);
  if (event) return <EventPage eventId={decodeURIComponent(event[1]!)} />;
  if (path === '/login') return <LoginPage />;
  if (path === '/bookings') {
    if (!session) return <SignInFirst next="/bookings" />;
    return <BookingsPage />;
  }
  if (path === '/admin' || path.startsWith('/admin/')) {
    if (!session) return <SignInFirst next={path} />;
    if (session.user.role !== 'admin')
      return (
        <main>
          <p className="error" role="alert">
            The console is for admins only.
          </p>
        </main>
      );
    return (
      <Suspense
        fallback={
          <main>
            <p aria-busy="true">Loading the console…</p>
          </main>
        }
      >
        <AdminPage path={path} />
      </Suspense>
    );
  }
  if (path === '/') return <CatalogPage />;
  return (
    <main>
      <h1>Page not found</h1>
      <p>
        <Link href="/">See all events</Link>
      </p>
    </main>
  );
}

function SignInFirst({ next }: { next: string }) {
  return (
    <main>
      <p className="notice">
        Please <Link href={`/login?next=${encodeURIComponent(next)}`}>sign in</Link> first.
      </p>
    </main>
  );
}

export function App() {
  const path = usePath();
  const session = useSession();
  const connection = useConnectionState();
  return (
    <>
      <a href="#content" className="skip">
        Skip to content
      </a>
      <header className="top">
        <Link href="/" className="brand">
          Evently
        </Link>
        <nav aria-label="Main">
          <Link href="/">Events</Link>
          {session && <Link href="/bookings">My bookings</Link>}
          {session?.user.role === 'admin' && <Link href="/admin">Console</Link>}
        </nav>
        <div className="who">
          {session ? (
            <>
              <span data-testid="signed-in-as">{session.user.name}</span>
              <button
                type="button"
                className="link"
                onClick={() => {
                  void signOut();
                  navigate('/');
                }}
              >
                Sign out
              </button>
            </>
          ) : (
            <Link href="/login">Sign in</Link>
          )}
        </div>
      </header>
      {connection === 'reconnecting' && (
        <p className="banner" role="status" data-testid="reconnecting">
          Connection lost. Reconnecting… you keep your place.
        </p>
      )}
      <div id="content">
        <Page path={path} />
      </div>
    </>
  );
}
