import { lazy, Suspense } from 'react';
import { signOut } from './api/session.js';
import { Link, navigate, usePath } from './components/router.js';
import { useConnectionState, useSession } from './live/hooks.js';
import { AccountPage } from './pages/account-page.js';
import { BookingsPage } from './pages/bookings-page.js';
import { CatalogPage } from './pages/catalog-page.js';
import { EventPage } from './pages/event-page.js';
import { ForgotPasswordPage } from './pages/forgot-password-page.js';
import { LoginPage } from './pages/login-page.js';
import { ResetPasswordPage } from './pages/reset-password-page.js';
import { VerifyEmailPage } from './pages/verify-email-page.js';
import { WaitlistsPage } from './pages/waitlists-page.js';

// The console (and uPlot) load only for organizers and admins who open it: its own chunk.
const AdminPage = lazy(() => import('./admin/admin-page.js').then((m) => ({ default: m.AdminPage })));

function Page({ path }: { path: string }) {
  const session = useSession();
  const event = /^\/events\/([^/]+)$/.exec(path);
  if (event) return <EventPage eventId={decodeURIComponent(event[1]!)} />;
  if (path === '/login') return <LoginPage />;
  // The pages account mails link to (accountMailLink): they must exist at these paths.
  if (path === '/forgot-password') return <ForgotPasswordPage />;
  if (path === '/reset-password') return <ResetPasswordPage />;
  if (path === '/verify-email') return <VerifyEmailPage />;
  if (path === '/account') {
    if (!session) return <SignInFirst next="/account" />;
    return <AccountPage />;
  }
  if (path === '/bookings') {
    if (!session) return <SignInFirst next="/bookings" />;
    return <BookingsPage />;
  }
  if (path === '/waitlists') {
    if (!session) return <SignInFirst next="/waitlists" />;
    return <WaitlistsPage />;
  }
  if (path === '/admin' || path.startsWith('/admin/')) {
    if (!session) return <SignInFirst next={path} />;
    if (session.user.role !== 'admin' && session.user.role !== 'organizer')
      return (
        <main>
          <p className="error" role="alert">
            The console is for organizers and admins.
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
          {session && <Link href="/waitlists">My waitlists</Link>}
          {(session?.user.role === 'admin' || session?.user.role === 'organizer') && <Link href="/admin">Console</Link>}
        </nav>
        <div className="who">
          {session ? (
            <>
              <Link href="/account" data-testid="signed-in-as" title="Your account">
                {session.user.name}
              </Link>
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
