import type { EventlyClient } from '../../core/contract/create-client.js';
import { connectClient, nextPush } from './connect-client.js';
import { registerUser } from './http-client.js';

/** Generous waiting-room settings: every joiner is admitted at once (tests about seats). */
export const OPEN_ADMISSION = { maxActive: 100_000, admitPerTick: 10_000, tickMs: 50, sessionTtlSeconds: 3600 } as const;

export interface AdmittedUser {
  userId: string;
  accessToken: string;
  client: EventlyClient;
  admissionToken: string;
}

/** Joins the event's waiting room through the real `queue:join` and waits to be admitted. */
export async function admit(client: EventlyClient, eventId: string): Promise<string> {
  const pushed = nextPush(client, 'queue:admitted', (p) => p.eventId === eventId, 20_000);
  pushed.catch(() => {});
  let joined = await client.queueJoin({ eventId });
  // A retryable refusal (the address's allowance spent by other clients of the test, a busy
  // store) is a legal answer: a client comes back after retryAfterMs, as the protocol says.
  for (let attempt = 0; !joined.ok && joined.error.retryable && attempt < 20; attempt++) {
    const waitMs = (joined.error.details as { retryAfterMs?: number } | undefined)?.retryAfterMs ?? 200;
    await new Promise((r) => setTimeout(r, waitMs));
    joined = await client.queueJoin({ eventId });
  }
  if (!joined.ok) throw new Error(`queue:join failed: ${JSON.stringify(joined.error)}`);
  if (joined.data.state === 'admitted') return joined.data.admissionToken;
  return (await pushed).admissionToken;
}

/** A fresh user, connected to `url`, admitted to the event. */
export async function admittedUser(url: string, eventId: string): Promise<AdmittedUser> {
  const session = await registerUser(url);
  const client = await connectClient(url, session.accessToken);
  return { userId: session.user.id, accessToken: session.accessToken, client, admissionToken: await admit(client, eventId) };
}
