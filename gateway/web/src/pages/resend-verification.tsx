import { useState } from 'react';
import { api, describeApiError } from '../api/http-api.js';
import { Link } from '../components/router.js';
import { useSession } from '../live/hooks.js';

/** "Mail me a confirmation link" for the signed-in account (asks to sign in otherwise). */
export function ResendVerification() {
  const session = useSession();
  const [state, setState] = useState<'idle' | 'busy' | 'sent'>('idle');
  const [error, setError] = useState('');
  if (!session)
    return (
      <p>
        <Link href={`/login?next=${encodeURIComponent('/account')}`}>Sign in</Link> to get a new confirmation link.
      </p>
    );
  if (session.user.emailVerified) return null;
  const send = async () => {
    setState('busy');
    setError('');
    try {
      await api('POST', '/api/auth/verify-email/request');
      setState('sent');
    } catch (err) {
      setError(describeApiError(err));
      setState('idle');
    }
  };
  return (
    <div className="stack">
      {state === 'sent' ? (
        <p className="notice" role="status" data-testid="verification-sent">
          We have mailed a confirmation link to <strong>{session.user.email}</strong>. It works once.
        </p>
      ) : (
        <button type="button" onClick={send} disabled={state === 'busy'}>
          Mail me a confirmation link
        </button>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
