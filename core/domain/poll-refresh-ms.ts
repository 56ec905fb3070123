import { type PositionView, positionRefreshMs } from './admission-policy.js';

/**
 * How many times longer than a waiting socket's refresh an HTTP poller waits. A socket's refresh
 * is one line of a script the gateway runs for all its waiting sockets at once (about 1,000 per
 * call) plus, when the place moved, one push frame; a poll is a whole request: HTTP parsing, the
 * access token's signature, two shared rate-limit counters and the place script in Redis, and a
 * JSON reply. Measured with scripts/bench-me-state.ts (one gateway, 1,000 users near the front of
 * their rooms, so refreshed every pass; a shared, busy machine; two runs): a waiting socket cost
 * the gateway 21-22 µs of CPU a second, a poll 400-530 µs, so one poll costs about 20-25 socket
 * refreshes. Far back in line (refreshAfterMs 60 s) a poller costs less than a socket.
 */
export const POLL_COST_RATIO = 20;
/** Never sooner: a poller at the front learns of its admission within this, well inside any session TTL. */
export const POLL_MIN_MS = 5_000;
/** Never later: a place far back still moves, and a person wants to see it move. */
export const POLL_MAX_MS = 60_000;

/**
 * `refreshAfterMs` of a waiting HTTP reply: the socket's refresh interval for that place
 * (positionRefreshMs: every pass near the front, up to 15 s far back), times POLL_COST_RATIO,
 * between POLL_MIN_MS and POLL_MAX_MS. 20,000 pollers then cost the gateways no more than 20,000
 * waiting sockets.
 */
export function pollRefreshMs(place: PositionView, passMs: number): number {
  return Math.max(POLL_MIN_MS, Math.min(POLL_MAX_MS, positionRefreshMs(place, passMs) * POLL_COST_RATIO));
}
