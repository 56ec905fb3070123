import { type FormEvent, useEffect, useState } from 'react';
import { api, badField, describeApiError } from '../api/http-api.js';
import { refreshNow, signOut } from '../api/session.js';
import { navigate } from '../components/router.js';
import { useSession } from '../live/hooks.js';
import { ResendVerification } from './resend-verification.js';

/**
 * The signed-in account: whether its address is confirmed (and a new link), a password change
 * (which signs every other device out) and signing out (which ends this sign-in on every server).
 */
export function AccountPage() {
  const session = useSession();
  // An address confirmed in another browser: only a fresh session says so.
  const unverified = session?.user.emailVerified === false;
  useEffect(() => {
    if (unverified) void refreshNow().catch(() => {});
  }, [unverified]);
  if (!session) return null;
  const { user } = session;
  return (
    <main className="narrow">
      <h1>Your account</h1>
      <section className="panel stack" aria-labelledby="email-heading">
        <h2 id="email-heading">Email address</h2>
        <p>
          {user.email}:{' '}
          {user.emailVerified ? (
            <strong data-testid="email-status">confirmed</strong>
          ) : (
            <strong data-testid="email-status">not confirmed yet</strong>
          )}
        </p>
        {!user.emailVerified && <p className="hint">Some events let only confirmed addresses into their waiting room.</p>}
        <ResendVerification />
      </section>
      <ChangePasswordForm />
      <section className="panel stack" aria-labelledby="signout-heading">
        <h2 id="signout-heading">Sign out</h2>
        <p className="hint">Ends this sign-in on every server at once, including its open pages.</p>
        <button
          type="button"
          className="secondary"
          onClick={() => {
            void signOut();
            navigate('/');
          }}
        >
          Sign out of this device
        </button>
      </section>
    </main>
  );
}

function ChangePasswordForm() {
  const [done, setDone] = useState(false);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const formEl = e.currentTarget;
    const form = new FormData(formEl);
    setBusy(true);
    setError('');
    setDone(false);
    try {
      await api(
        'POST',
        '/api/auth/password',
        { currentPassword: String(form.get('currentPassword')), newPassword: String(form.get('newPassword')) },
        { noRetryOn401: true },
      );
      formEl.reset();
      setDone(true);
    } catch (err) {
      const field = badField(err);
      if (field === 'currentPassword') setError('Your current password is not right.');
      else if (field === 'newPassword') setError('Please choose a new password of at least 8 characters.');
      else setError(describeApiError(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="panel" aria-labelledby="password-heading">
      <h2 id="password-heading">Change your password</h2>
      <form onSubmit={submit} className="stack">
        <label>
          Current password
          <input name="currentPassword" type="password" autoComplete="current-password" required maxLength={256} />
        </label>
        <label>
          New password
          <input name="newPassword" type="password" autoComplete="new-password" required minLength={8} maxLength={256} />
        </label>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        {done && (
          <p className="notice" role="status" data-testid="password-changed">
            Your password is changed, and every other device signed in to your account is signed out.
          </p>
        )}
        <button type="submit" disabled={busy}>
          Change password and sign out other devices
        </button>
      </form>
    </section>
  );
}
