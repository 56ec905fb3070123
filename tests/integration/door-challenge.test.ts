import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Challenge, encodeProof, solveChallengeProof } from '../../core/contract/challenge.js';
import type { EventlyClient } from '../../core/contract/create-client.js';
import { issueChallenge } from '../../core/use-cases/waiting-room/issue-challenge.js';
import { spendProof } from '../../core/use-cases/waiting-room/spend-proof.js';
import { connectClient } from '../support/connect-client.js';
import { createTestEvent } from '../support/create-test-event.js';
import { http, loginAdmin, registerUser } from '../support/http-client.js';
import { createQueueProbe } from '../support/queue-probe.js';
import { type StartedProcess, startGatewayProcess } from '../support/start-process.js';
import { createTestEnv, type TestEnv } from '../support/test-env.js';

let t: TestEnv;
let gw: StartedProcess;
let adminToken: string;
let probe: ReturnType<typeof createQueueProbe>;

const DOOR = {
  CHALLENGE_TTL_SECONDS: '3',
  CHALLENGE_MAX_NUMBER_MIN: '1000',
  CHALLENGE_MAX_NUMBER_MAX: '16000',
  CHALLENGE_CROWD_STEP: '3',
};

beforeAll(async () => {
  t = await createTestEnv(DOOR);
  gw = await startGatewayProcess(t.env);
  adminToken = (await loginAdmin(gw.url)).accessToken;
  probe = createQueueProbe(t.config);
});

interface Fan {
  id: string;
  token: string;
  client: EventlyClient;
}
async function fan(): Promise<Fan> {
  const s = await registerUser(gw.url);
  return { id: s.user.id, token: s.accessToken, client: await connectClient(gw.url, s.accessToken) };
}

/** A refused join's fresh challenge (and the refusal's shape). */
function challengeOf(ack: Awaited<ReturnType<EventlyClient['queueJoin']>>): Challenge {
  expect(ack).toMatchObject({ ok: false, error: { code: 'CHALLENGE_REQUIRED', retryable: false } });
  const c = (ack as { error: { details: { challenge: Challenge } } }).error.details.challenge;
  expect(Object.keys(c).sort()).toEqual(['algorithm', 'challenge', 'maxnumber', 'salt', 'signature']);
  expect(c.algorithm).toBe('SHA-256');
  return c;
}

async function solve(c: Challenge): Promise<string> {
  const proof = await solveChallengeProof(c);
  if (!proof) throw new Error('unsolvable challenge');
  return proof;
}

async function challengeEvent(maxActive = 1) {
  return createTestEvent(gw.url, adminToken, {
    admission: { maxActive, admitPerTick: 1, tickMs: 1000, sessionTtlSeconds: 600, challenge: { required: true } },
  });
}

describe('proof of work at queue:join (v1.2)', () => {
  it('asks for a proof, takes a solved one once, and lets a user with a place rejoin without one', async () => {
    const ev = await challengeEvent(1);
    const a = await fan();
    const c = challengeOf(await a.client.queueJoin({ eventId: ev.id }));
    expect(c.maxnumber).toBe(1000);
    expect(await probe.redis.zscore(probe.keys.queue(ev.id), a.id)).toBeNull();
    expect(await probe.activeCount(ev.id)).toBe(0);

    const proof = await solve(c);
    const joined = await a.client.queueJoin({ eventId: ev.id, proof });
    expect(joined).toMatchObject({ ok: true, data: { state: 'admitted' } });
    // Admitted: joining again needs nothing and keeps the admission.
    expect(await a.client.queueJoin({ eventId: ev.id })).toMatchObject({ ok: true, data: { state: 'admitted' } });

    const b = await fan();
    const pb = await solve(challengeOf(await b.client.queueJoin({ eventId: ev.id })));
    expect(await b.client.queueJoin({ eventId: ev.id, proof: pb })).toMatchObject({
      ok: true,
      data: { state: 'waiting', position: 1 },
    });
    // Waiting: joining again needs nothing and keeps the place.
    expect(await b.client.queueJoin({ eventId: ev.id })).toMatchObject({ ok: true, data: { state: 'waiting', position: 1 } });
    // Left, the spent proof does not bring it back.
    expect(await b.client.queueLeave({ eventId: ev.id })).toMatchObject({ ok: true });
    challengeOf(await b.client.queueJoin({ eventId: ev.id, proof: pb }));
    expect(await probe.redis.zscore(probe.keys.queue(ev.id), b.id)).toBeNull();
  });

  it('refuses foreign, other-event, wrong, malformed and expired proofs with a fresh challenge, changing nothing', async () => {
    const ev = await challengeEvent(1000);
    const other = await challengeEvent(1000);
    const a = await fan();
    const b = await fan();
    const ca = challengeOf(await a.client.queueJoin({ eventId: ev.id }));
    const proofA = await solve(ca);
    const wrongNumber = encodeProof(ca, (JSON.parse(atob(proofA)).number + 1) % (ca.maxnumber + 1));
    const forged = encodeProof({ ...ca, signature: 'a'.repeat(64) }, JSON.parse(atob(proofA)).number);
    const bad = [
      { who: b, eventId: ev.id, proof: proofA }, // someone else's
      { who: a, eventId: other.id, proof: proofA }, // another event's
      { who: a, eventId: ev.id, proof: wrongNumber },
      { who: a, eventId: ev.id, proof: forged },
      { who: a, eventId: ev.id, proof: 'not base64 at all!' },
      { who: a, eventId: ev.id, proof: btoa('{"algorithm":"SHA-256"}') },
      { who: a, eventId: ev.id, proof: btoa('[1,2,3]') },
    ];
    for (const x of bad) {
      const fresh = challengeOf(await x.who.client.queueJoin({ eventId: x.eventId, proof: x.proof }));
      expect(fresh.signature).not.toBe(ca.signature);
    }
    for (const id of [ev.id, other.id]) {
      expect(await probe.redis.zcard(probe.keys.queue(id))).toBe(0);
      expect(await probe.activeCount(id)).toBe(0);
    }
    // None of those spent A's proof: it still works, once.
    expect(await a.client.queueJoin({ eventId: ev.id, proof: proofA })).toMatchObject({ ok: true });

    // Expired: a solved challenge kept past its lifetime (3 s here) is refused.
    const late = await solve(challengeOf(await b.client.queueJoin({ eventId: ev.id })));
    await new Promise((r) => setTimeout(r, 4200));
    challengeOf(await b.client.queueJoin({ eventId: ev.id, proof: late }));
    expect(await probe.redis.zscore(probe.keys.queue(ev.id), b.id)).toBeNull();
    expect(await probe.redis.zscore(probe.keys.active(ev.id), b.id)).toBeNull();
  });

  it('spends a proof exactly once when many joins race with it', async () => {
    const ev = await challengeEvent(1000);
    const a = await fan();
    const deps = {
      redis: probe.redis,
      keys: probe.keys,
      admissionTokenSecret: t.config.admissionTokenSecret,
      challenge: t.config.challenge,
    };
    const proof = await solve(await issueChallenge(deps, ev.id, a.id, new Date()));
    const outcomes = await Promise.all(Array.from({ length: 25 }, () => spendProof(deps, ev.id, a.id, proof, new Date())));
    expect(outcomes.filter(Boolean)).toHaveLength(1);
  });

  it('raises the work as the crowd grows', async () => {
    const ev = await challengeEvent(1);
    const seen: number[] = [];
    for (let i = 0; i < 10; i++) {
      const u = await fan();
      const c = challengeOf(await u.client.queueJoin({ eventId: ev.id }));
      seen.push(c.maxnumber);
      expect(await u.client.queueJoin({ eventId: ev.id, proof: await solve(c) })).toMatchObject({ ok: true });
    }
    // One admitted at once, then 0..8 waiting: steps of 3 waiting users double the work.
    expect(seen).toEqual([1000, 1000, 1000, 1000, 2000, 2000, 2000, 2000, 2000, 2000]);
    const u = await fan();
    expect(challengeOf(await u.client.queueJoin({ eventId: ev.id })).maxnumber).toBe(4000);
  });

  it('serves a challenge ahead of time over HTTP, bound to the caller', async () => {
    const ev = await challengeEvent(1000);
    const a = await fan();
    const res = await http(gw.url, 'GET', `/api/events/${ev.id}/challenge`, { token: a.token });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body)).toEqual(['challenge']);
    const proof = await solve(res.body.challenge);
    const b = await fan();
    challengeOf(await b.client.queueJoin({ eventId: ev.id, proof }));
    expect(await a.client.queueJoin({ eventId: ev.id, proof })).toMatchObject({ ok: true });
    expect((await http(gw.url, 'GET', `/api/events/${ev.id}/challenge`)).status).toBe(401);
    const unknown = await http(gw.url, 'GET', `/api/events/00000000-0000-4000-8000-000000000000/challenge`, { token: a.token });
    expect(unknown.status).toBe(404);
    expect((await http(gw.url, 'GET', `/api/events/nope/challenge`, { token: a.token })).status).toBe(400);
  });

  it('guards POST /api/events/:id/queue the same way (403 CHALLENGE_REQUIRED, then 200 with the proof)', async () => {
    const ev = await challengeEvent(1000);
    const a = await fan();
    const refused = await http(gw.url, 'POST', `/api/events/${ev.id}/queue`, { token: a.token, body: {} });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatchObject({ code: 'CHALLENGE_REQUIRED', details: { challenge: { algorithm: 'SHA-256' } } });
    const proof = await solve(refused.body.error.details.challenge);
    const joined = await http(gw.url, 'POST', `/api/events/${ev.id}/queue`, { token: a.token, body: { proof } });
    expect(joined.status).toBe(200);
    expect(joined.body).toMatchObject({ state: 'admitted' });
  });

  it('an event without the challenge needs no proof; an oversized proof is VALIDATION_FAILED', async () => {
    const ev = await createTestEvent(gw.url, adminToken);
    const a = await fan();
    expect(await a.client.queueJoin({ eventId: ev.id })).toMatchObject({ ok: true });
    const b = await fan();
    expect(await b.client.queueJoin({ eventId: ev.id, proof: 'x'.repeat(5000) })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED' },
    });
  });
});

describe('requireVerifiedEmail (v1.2)', () => {
  it('refuses an unverified account with FORBIDDEN email_unverified, changing nothing; a verified one joins', async () => {
    const ev = await createTestEvent(gw.url, adminToken, {
      admission: { maxActive: 10, admitPerTick: 1, tickMs: 1000, sessionTtlSeconds: 600, requireVerifiedEmail: true },
    });
    const a = await fan();
    expect(await a.client.queueJoin({ eventId: ev.id })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', details: { reason: 'email_unverified' } },
    });
    expect(await probe.activeCount(ev.id)).toBe(0);
    const db = new pg.Client({ connectionString: t.databaseUrl });
    await db.connect();
    await db.query('UPDATE users SET email_verified = true WHERE id = $1', [a.id]).finally(() => db.end());
    expect(await a.client.queueJoin({ eventId: ev.id })).toMatchObject({ ok: true, data: { state: 'admitted' } });
  });
});
