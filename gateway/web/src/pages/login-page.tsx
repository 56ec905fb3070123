import { type FormEvent, useState } from 'react';
import type { AuthReply } from '../../../../core/contract/http.js';
import { errorWords } from '../api/error-words.js';
import { ApiError, api } from '../api/http-api.js';
import { setSession } from '../api/session.js';
import { Link, navigate } from '../components/router.js';

/** Sign in or create an account; then back to where the buyer came from (`?next=`). */
export function LoginPage() {
  const [mode, setMode] = useState<'login' | 'register'>('login');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const next = new URLSearchParams(window.location.search).get('next');

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const body: Record<string, string> = { email: String(form.get('email')), password: String(form.get('password')) };
    if (mode === 'register') body.name = String(form.get('name'));
    setBusy(true);
    setError('');
    try {
      const reply = await api<AuthReply>('POST', mode === 'login' ? '/api/auth/login' : '/api/auth/register', body);
      setSession(reply);
      navigate(next?.startsWith('/') && !next.startsWith('//') ? next : '/');
    } catch (err) {
      const code = err instanceof ApiError ? err.code : undefined;
      if (code === 'UNAUTHENTICATED') setError('That email and password do not match an account.');
      else if (code === 'CONFLICT') setError('An account with that email exists already: sign in instead.');
      else if (code === 'VALIDATION_FAILED') setError('Please use a valid email and a password of at least 8 characters.');
      else setError(errorWords(code));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="narrow">
      <h1>{mode === 'login' ? 'Sign in' : 'Create an account'}</h1>
      <form onSubmit={submit} className="stack" aria-describedby={error ? 'login-error' : undefined}>
        {mode === 'register' && (
          <label>
            Name
            <input name="name" autoComplete="name" required maxLength={200} />
          </label>
        )}
        <label>
          Email
          <input name="email" type="email" autoComplete="email" required />
        </label>
        <label>
          Password
          <input
            name="password"
            type="password"
            autoComplete={mode === 'login' ? 'current-password' : 'new-password'}
            required
            minLength={8}
          />
        </label>
        {error && (
          <p className="error" role="alert" id="login-error">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {mode === 'login' ? 'Sign in' : 'Create account'}
        </button>
      </form>
      {mode === 'login' && (
        <p>
          <Link href="/forgot-password">Forgot your password?</Link>
        </p>
      )}
      <p>
        {mode === 'login' ? 'New here? ' : 'Have an account? '}
        <button type="button" className="link" onClick={() => setMode(mode === 'login' ? 'register' : 'login')}>
          {mode === 'login' ? 'Create an account' : 'Sign in'}
        </button>
      </p>
    </main>
  );
}
