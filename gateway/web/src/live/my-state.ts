import { useSyncExternalStore } from 'react';
import type { MeState } from '../../../../core/contract/me-state.js';
import { getSession, onSessionChange } from '../api/session.js';
import { command, onShopConnected, shopClient, userClient } from './connection.js';

let latest: MeState | null = null;
let started = false;
let asking: Promise<void> | null = null;
const listeners = new Set<() => void>();

/**
 * Asks `me:state` and tells every page: what this user holds, is offered, waits
 * for and is admitted to, made in this tab, another tab, another device or through another
 * gateway. One question at a time; a question asked meanwhile joins it.
 */
export function refreshMyState(): Promise<void> {
  if (!getSession()) return Promise.resolve();
  asking ??= command(() => shopClient().meState({}))
    .then(
      (state) => {
        latest = state;
        for (const l of listeners) l();
      },
      () => {},
    )
    .finally(() => {
      asking = null;
    });
  return asking;
}

/** Asked on every (re)connect, when the tab comes back into view, and on pushes that change it. */
function start() {
  if (started) return;
  started = true;
  onShopConnected(() => void refreshMyState());
  // Another user signed in (or nobody): forget the last one's things before the next answer.
  onSessionChange(() => {
    latest = null;
    for (const l of listeners) l();
  });
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') void refreshMyState();
  });
  const client = userClient();
  client.on('waitlist:offer', () => void refreshMyState());
  client.on('hold:expired', () => void refreshMyState());
  client.on('queue:admitted', () => void refreshMyState());
}

function subscribe(listener: () => void): () => void {
  start();
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The latest `me:state` answer (null until the first one arrives). */
export function useMyState(): MeState | null {
  return useSyncExternalStore(subscribe, () => latest);
}
