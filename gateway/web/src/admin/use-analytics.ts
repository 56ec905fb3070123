import { useEffect, useState } from 'react';
import type { AnalyticsSnapshot } from '../../../../core/contract/commands.js';
import { adminClient } from '../live/connection.js';

/** Ten minutes of one-second updates. */
const KEEP = 600;

export type FeedState = 'connecting' | 'live' | 'refused';

/** The `analytics:update` feed of one event ('' for all) on `/admin`, with the last ten minutes kept. */
export function useAnalytics(eventId: string, enabled = true): { history: AnalyticsSnapshot[]; state: FeedState } {
  const [history, setHistory] = useState<AnalyticsSnapshot[]>([]);
  const [state, setState] = useState<FeedState>('connecting');
  useEffect(() => {
    setHistory([]);
    if (!enabled) return;
    const client = adminClient();
    const add = (s: AnalyticsSnapshot) => {
      if ((s.eventId ?? '') !== eventId) return;
      setHistory((h) => (h.length >= KEEP ? [...h.slice(h.length - KEEP + 1), s] : [...h, s]));
    };
    const off = client.on('analytics:update', add);
    const subscribe = () => {
      client
        .analyticsSubscribe(eventId ? { eventId } : {})
        .then((ack) => {
          if (ack.ok) {
            setState('live');
            add(ack.data);
          } else if (ack.error.code === 'FORBIDDEN') setState('refused');
        })
        .catch(() => {});
    };
    client.socket.on('connect', subscribe);
    client.socket.on('connect_error', (err: Error & { data?: { code?: string } }) => {
      if (err.data?.code === 'FORBIDDEN') setState('refused');
    });
    return () => {
      off();
      client.close();
    };
  }, [eventId, enabled]);
  return { history, state };
}
