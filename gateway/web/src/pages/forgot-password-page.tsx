import { type FormEvent, useState } from 'react';
import { api, describeApiError } from '../api/http-api.js';
import { Link } from '../components/router.js';

/** Asks for a password-reset mail. The answer is the same whether or not the account exists. */
export function ForgotPasswordPage() {
  const [sentTo, setSentTo] = useState(() => sessionStorage.getItem(SENT_KEY));
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const email = String(new FormData(e.currentTarget).get('email')).trim();
    setBusy(true);
    setError('');
    try {
      await api('POST', '/api/auth/password-reset', { email });
      // Kept for this tab, so a reload still says where the link went.
      sessionStorage.setItem(SENT_KEY, email);
      setSentTo(email);
    } catch (err) {
      setError(describeApiError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="narrow">
      <h1>Forgot your password?</h1>
      {sentTo ? (
        <div className="stack">
          <p className="notice" role="status" data-testid="reset-mail-sent">
            If an account uses <strong>{sentTo}</strong>, we have mailed it a link to choose a new password. The link works once,
            within 30 minutes.
          </p>
          <p>
            <button
              type="button"
              className="link"
              onClick={() => {
                sessionStorage.removeItem(SENT_KEY);
                setSentTo(null);
              }}
            >
              Use another address
            </button>{' '}
            · <Link href="/login">Back to sign in</Link>
          </p>
        </div>
      ) : (
        <form onSubmit={submit} className="stack">
          <p>Enter the email address of your account: we will mail you a link to choose a new password.</p>
          <label>
            Email
            <input name="email" type="email" autoComplete="email" required maxLength={254} />
          </label>
          {error && (
            <p className="error" role="alert">
              {error}
            </p>
          )}
          <button type="submit" disabled={busy}>
            Mail me a link
          </button>
        </form>
      )}
    </main>
  );
}

const SENT_KEY = 'evently.resetMailSentTo';
