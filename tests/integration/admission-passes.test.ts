import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { signAdmissionToken } from '../../core/auth/admission-tokens.js';
import { connectRedis } from '../../core/redis/connect-redis.js';
import { deleteKeysWithPrefix } from '../../core/redis/delete-keys-with-prefix.js';
import { createKeys } from '../../core/redis/keys.js';
import { endAdmissionSession } from '../../core/use-cases/waiting-room/admission-session.js';
import { type AdmissionPasses, createAdmissionPasses } from '../../gateway/waiting-room/admission-passes.js';
import { testRedisUrl } from '../support/services.js';

const prefix = `pass-test:${randomBytes(4).toString('hex')}`;
const keys = createKeys(prefix);
const redis = connectRedis(testRedisUrl());
const secret = randomBytes(32).toString('hex');
const opened: AdmissionPasses[] = [];
afterAll(async () => {
  for (const p of opened) await p.close();
  await deleteKeysWithPrefix(redis, prefix);
  redis.disconnect();
});

async function passes(recheckMs: number) {
  const p = await createAdmissionPasses({
    redis,
    subscriber: connectRedis(testRedisUrl()),
    keys,
    admissionTokenSecret: secret,
    recheckMs,
  });
  opened.push(p);
  return p;
}

/** What the admitter stores for an admitted user, and the token it hands them. */
async function admit(nowMs: number) {
  const who = { userId: randomUUID(), eventId: randomUUID() };
  const sessionId = randomUUID();
  const expiresAtMs = nowMs + 300_000;
  await redis
    .multi()
    .hset(keys.admissionSessions(who.eventId), who.userId, `${sessionId}:${Math.floor(nowMs / 1000)}:${expiresAtMs / 1000}`)
    .zadd(keys.active(who.eventId), expiresAtMs, who.userId)
    .exec();
  const token = signAdmissionToken({ ...who, sessionId }, secret, 300, new Date(nowMs));
  return { who, token };
}

/** Ends the admission in Redis the way a lost push leaves it: the session is gone, nobody heard. */
const endSilently = (who: { userId: string; eventId: string }) =>
  redis.multi().zrem(keys.active(who.eventId), who.userId).hdel(keys.admissionSessions(who.eventId), who.userId).exec();

const code = (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (e: { code?: string }) => e.code ?? String(e),
  );

describe('admission passes: an admission checked in Redis once, trusted until its end is heard or the recheck', () => {
  it('a lost end is trusted at most recheckMs, then the next hold reads Redis and is refused', async () => {
    const start = Date.now();
    const p = await passes(5_000);
    const { who, token } = await admit(start);
    expect(await code(p.verify(token, who, new Date(start)))).toBe('ok');
    await endSilently(who);
    // Within the recheck the gateway still trusts the pass it holds (the push was lost)...
    expect(await code(p.verify(token, who, new Date(start + 4_000)))).toBe('ok');
    expect(await code(p.requireAdmitted(who, new Date(start + 4_000)))).toBe('ok');
    // ...and past it, it asks Redis again: the session is gone.
    expect(await code(p.verify(token, who, new Date(start + 5_001)))).toBe('NOT_ADMITTED');
    expect(await code(p.requireAdmitted(who, new Date(start + 5_001)))).toBe('NOT_ADMITTED');
  });

  it('an end that is heard drops the pass at once, on every gateway', async () => {
    const start = Date.now();
    const [a, b] = [await passes(60_000), await passes(60_000)];
    const { who, token } = await admit(start);
    expect(await code(a.verify(token, who, new Date(start)))).toBe('ok');
    expect(await code(b.requireAdmitted(who, new Date(start)))).toBe('ok');
    await endAdmissionSession({ redis, keys }, who.eventId, who.userId);
    for (const gw of [a, b]) {
      await expect
        .poll(() => code(gw.requireAdmitted(who, new Date(start + 10))), { timeout: 5_000, interval: 50 })
        .toBe('NOT_ADMITTED');
    }
    expect(await code(a.verify(token, who, new Date(start + 10)))).toBe('NOT_ADMITTED');
  });

  it('an end this gateway made itself drops its pass at once, before its own announcement comes back', async () => {
    const start = Date.now();
    const p = await passes(60_000);
    const { who, token } = await admit(start);
    expect(await code(p.verify(token, who, new Date(start)))).toBe('ok');
    await endSilently(who);
    p.forget(who.eventId, who.userId);
    expect(await code(p.verify(token, who, new Date(start + 10)))).toBe('NOT_ADMITTED');
  });

  it('a token of another session is checked against Redis, not waved through by the pass', async () => {
    const start = Date.now();
    const p = await passes(60_000);
    const { who, token } = await admit(start);
    expect(await code(p.verify(token, who, new Date(start)))).toBe('ok');
    // The user is admitted again (a new session replaces the old one in Redis): the old token is dead.
    const newer = randomUUID();
    await redis.hset(
      keys.admissionSessions(who.eventId),
      who.userId,
      `${newer}:${Math.floor(start / 1000)}:${(start + 300_000) / 1000}`,
    );
    const fresh = signAdmissionToken({ ...who, sessionId: newer }, secret, 300, new Date(start));
    expect(await code(p.verify(fresh, who, new Date(start + 10)))).toBe('ok');
    expect(await code(p.verify(token, who, new Date(start + 20)))).toBe('NOT_ADMITTED');
  });

  it('an admission past its expiry is ADMISSION_EXPIRED from the pass, with no Redis read needed', async () => {
    const start = Date.now();
    const p = await passes(600_000);
    const { who } = await admit(start);
    expect(await code(p.requireAdmitted(who, new Date(start)))).toBe('ok');
    expect(await code(p.requireAdmitted(who, new Date(start + 300_001)))).toBe('ADMISSION_EXPIRED');
  });
});
