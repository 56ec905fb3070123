import { type FormEvent, useState } from 'react';
import { api, badField, describeApiError } from '../api/http-api.js';
import { Link } from '../components/router.js';

/**
 * Where a password-reset mail links (`/reset-password?token=`): choose a new password. Success
 * ends every session of the account, so the buyer signs in again. After it the address loses
 * its token (`?done=1`): a reload says it is done rather than offering a spent link.
 */
export function ResetPasswordPage() {
  const query = new URLSearchParams(window.location.search);
  const token = query.get('token');
  const [done, setDone] = useState(query.get('done') === '1');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const password = String(form.get('password'));
    if (password !== String(form.get('repeat'))) {
      setError('The two passwords are not the same.');
      return;
    }
    setBusy(true);
    setError('');
    try {
      await api('POST', '/api/auth/password-reset/confirm', { token, password });
      window.history.replaceState(null, '', '/reset-password?done=1');
      setDone(true);
    } catch (err) {
      const field = badField(err);
      if (field === 'token') setError('This link is not valid any more (used already, or older than 30 minutes).');
      else if (field === 'password') setError('Please choose a password of at least 8 characters.');
      else setError(describeApiError(err));
    } finally {
      setBusy(false);
    }
  };

  if (done)
    return (
      <main className="narrow">
        <h1>Password changed</h1>
        <p className="notice" role="status" data-testid="password-reset-done">
          Your new password is set, and every device that was signed in to your account is signed out.
        </p>
        <p>
          <Link href="/login">Sign in with your new password</Link>
        </p>
      </main>
    );
  if (!token)
    return (
      <main className="narrow">
        <h1>Choose a new password</h1>
        <p className="error" role="alert">
          This page needs the link from the mail we sent you.
        </p>
        <p>
          <Link href="/forgot-password">Mail me a new link</Link>
        </p>
      </main>
    );
  return (
    <main className="narrow">
      <h1>Choose a new password</h1>
      <form onSubmit={submit} className="stack">
        <label>
          New password
          <input name="password" type="password" autoComplete="new-password" required minLength={8} maxLength={256} />
        </label>
        <label>
          New password again
          <input name="repeat" type="password" autoComplete="new-password" required minLength={8} maxLength={256} />
        </label>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          Set my new password
        </button>
      </form>
      {error && (
        <p>
          <Link href="/forgot-password">Mail me a new link</Link>
        </p>
      )}
    </main>
  );
}
