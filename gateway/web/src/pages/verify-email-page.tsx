import { useEffect, useRef, useState } from 'react';
import { api, badField, describeApiError } from '../api/http-api.js';
import { getSession, refreshNow } from '../api/session.js';
import { Link } from '../components/router.js';
import { ResendVerification } from './resend-verification.js';

type View = { kind: 'checking' } | { kind: 'verified' } | { kind: 'failed'; message: string };

/**
 * Where a verification mail links (`/verify-email?token=`): confirms the address as soon as it
 * opens and says so. The address then loses its token (`?verified=1`), so a reload still says it
 * is confirmed instead of spending a used link.
 */
export function VerifyEmailPage() {
  const query = new URLSearchParams(window.location.search);
  const token = query.get('token');
  const [view, setView] = useState<View>(() =>
    query.get('verified') === '1'
      ? { kind: 'verified' }
      : token
        ? { kind: 'checking' }
        : { kind: 'failed', message: 'This page needs the link from the mail we sent you.' },
  );
  const sent = useRef(false);

  useEffect(() => {
    if (!token || sent.current) return;
    sent.current = true; // once, even when React runs effects twice
    api('POST', '/api/auth/verify-email', { token }).then(
      async () => {
        window.history.replaceState(null, '', '/verify-email?verified=1');
        // A signed-in tab learns its new emailVerified from a fresh session, before it says done:
        // a reload in the middle of a refresh would lose the rotated refresh token.
        if (getSession()) await refreshNow().catch(() => {});
        setView({ kind: 'verified' });
      },
      (err) =>
        setView({
          kind: 'failed',
          message:
            badField(err) === 'token' ? 'This link is not valid any more (used already, or expired).' : describeApiError(err),
        }),
    );
  }, [token]);

  return (
    <main className="narrow">
      <h1>Confirm your email address</h1>
      {view.kind === 'checking' && <p aria-busy="true">Confirming your address…</p>}
      {view.kind === 'verified' && (
        <>
          <p className="notice" role="status" data-testid="email-verified">
            Your email address is confirmed. Events that ask for a confirmed address let you in now.
          </p>
          <p>
            <Link href="/">See all events</Link>
          </p>
        </>
      )}
      {view.kind === 'failed' && (
        <div className="stack">
          <p className="error" role="alert">
            {view.message}
          </p>
          <ResendVerification />
        </div>
      )}
    </main>
  );
}
