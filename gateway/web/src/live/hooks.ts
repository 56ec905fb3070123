import { useEffect, useState, useSyncExternalStore } from 'react';
import { getSession, onSessionChange, type Session } from '../api/session.js';
import { connectionState, onConnectionState } from './connection.js';

export function useSession(): Session | null {
  return useSyncExternalStore(onSessionChange, getSession);
}

export function useConnectionState() {
  return useSyncExternalStore(onConnectionState, connectionState);
}

/** Seconds left until an ISO time, ticking once a second; null without a time. */
export function useSecondsLeft(iso: string | null | undefined): number | null {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!iso) return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [iso]);
  if (!iso) return null;
  return Math.max(0, Math.round((Date.parse(iso) - now) / 1000));
}

export function formatSeconds(s: number): string {
  const m = Math.floor(s / 60);
  return `${m}:${String(s % 60).padStart(2, '0')}`;
}
