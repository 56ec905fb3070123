// A buyer's sockets and the steps every script shares: the proof of work at the door, the
// shop URL an admission may carry (a shop tier apart from the queue tier), and after a lost socket: reconnect, `me:state`,
// carry on from what the server says the user has.
import crypto from 'k6/crypto';
import { challengeOf, encodeProof, solveChallenge } from './altcha.js';
import { payloads } from './contract.js';
import { refreshSession } from './http-api.js';
import { powRejected, powSolved, powTime, reconnectFailures, reconnects, shopSwitches } from './outcome.js';
import { nextStep, shopBaseUrl } from './resume.js';
import { connectSocketIo, delay, unexpectedErrors } from './socketio.js';

const MAX_DOOR_ATTEMPTS = 3;
const sha256hex = (/** @type {string} */ text) => /** @type {string} */ (crypto.sha256(text, 'hex'));

/**
 * @typedef {import('./socketio.js').SocketIoClient} SocketIoClient
 * @typedef {import('./socketio.js').Ack} Ack
 * @typedef {import('./http-api.js').Session} Session
 * @typedef {import('./resume.js').Step} Step
 */

/** True for the ack a socket gives its pending commands when it goes away. @param {Ack} ack */
export const lostSocket = (ack) => !ack.ok && ack.error?.code === 'CLOSED';

/**
 * `queue:join`, paying at the door when it asks (CHALLENGE_REQUIRED: solve, join again with the
 * proof). A proof refused is counted (evently_pow_rejected); a challenge this client cannot solve
 * is an unexpected error.
 * @param {SocketIoClient} client @param {string} eventId @returns {Promise<Ack>}
 */
export async function joinQueue(client, eventId) {
  let ack = await client.emit('queue:join', payloads.queueJoin(eventId));
  for (let attempt = 1; attempt <= MAX_DOOR_ATTEMPTS && ack.error?.code === 'CHALLENGE_REQUIRED'; attempt++) {
    if (attempt > 1) powRejected.add(1);
    const challenge = challengeOf(ack);
    const startedAt = Date.now();
    const number = challenge ? await solveChallenge(challenge, sha256hex, () => delay(0)) : null;
    if (!challenge || number === null) {
      unexpectedErrors.add(1, { command: 'queue_join', code: 'CHALLENGE_UNSOLVABLE' });
      return ack;
    }
    powTime.add(Date.now() - startedAt);
    powSolved.add(1);
    ack = await client.emit('queue:join', payloads.queueJoin(eventId, encodeProof(challenge, number)));
  }
  if (ack.error?.code === 'CHALLENGE_REQUIRED') powRejected.add(1);
  return ack;
}

/**
 * One buyer: a socket on BASE_URL (the waiting room), and once an admission names a shop URL
 * another, a socket there for the seat commands.
 */
export class Buyer {
  /** @param {string} baseUrl @param {Session} session @param {SocketIoClient} queue */
  constructor(baseUrl, session, queue) {
    this.baseUrl = baseUrl;
    this.session = session;
    this.queue = queue;
    /** @type {SocketIoClient | null} */
    this.shop = null;
    /** @type {string | null} */
    this.shopBase = null;
  }

  /** @param {string} baseUrl @param {Session} session */
  static async open(baseUrl, session) {
    return new Buyer(baseUrl, session, await connectSocketIo(baseUrl, { token: session.accessToken }));
  }

  /** The socket for seat commands: the shop's when admitted to one, else the waiting room's. */
  seats() {
    return this.shop ?? this.queue;
  }

  /**
   * Follows an admission: when it carries a `shopUrl` other than where this buyer is, opens a
   * socket there (kept for later admissions to the same shop). Resolves false when that failed.
   * @param {{ shopUrl?: string }} admission
   */
  async enterShop(admission) {
    const base = shopBaseUrl(this.baseUrl, admission.shopUrl);
    if (base === this.baseUrl || base === this.shopBase) return true;
    this.shop?.close();
    this.shop = null;
    try {
      this.shop = await connectSocketIo(base, { token: this.session.accessToken });
      this.shopBase = base;
      shopSwitches.add(1);
      return true;
    } catch {
      return false; // counted by connectSocketIo
    }
  }

  /** True when a socket this buyer uses went away. */
  lost() {
    return !this.queue.connected() || (this.shop !== null && !this.shop.connected());
  }

  /**
   * After a lost socket: a fresh token, the sockets again, then `me:state` and the step it implies
   * for `eventId`; a few tries, backing off. The refresh is inside the retry: the connection that
   * carried the last request may have died with the gateway, and its first reuse then fails.
   * Null when the buyer could not get back (counted: evently_reconnect_failures).
   * @param {string} eventId @returns {Promise<Step | null>}
   */
  async resume(eventId) {
    this.close();
    reconnects.add(1);
    for (let attempt = 1; attempt <= 3; attempt++) {
      try {
        const fresh = refreshSession(this.session);
        if (fresh) {
          this.session = fresh;
          this.queue = await connectSocketIo(this.baseUrl, { token: fresh.accessToken });
          if (this.shopBase) this.shop = await connectSocketIo(this.shopBase, { token: fresh.accessToken });
          const state = await this.seats().emit('me:state', payloads.meState(), 5000);
          if (state.ok || !lostSocket(state)) return nextStep(state.ok ? state.data : undefined, eventId);
        }
      } catch {
        // a connect that failed is counted by connectSocketIo; try again
      }
      this.close();
      await delay(500 * 2 ** attempt);
    }
    reconnectFailures.add(1);
    return null;
  }

  close() {
    this.queue.close();
    this.shop?.close();
  }
}
