/** A broadcast may take at most about this share of the event loop. */
const BROADCAST_SHARE = 0.25;

/**
 * The coalescing window of a fan-out. It is `baseMs` while broadcasts are cheap. A broadcast to
 * many thousands of sockets costs the event loop milliseconds, and at one every few ms it would
 * starve the commands (holds waiting on the loop keep their database connections): after an
 * expensive broadcast the window widens so broadcasting stays near BROADCAST_SHARE of the loop,
 * up to `maxMs`, and narrows again as they get cheap.
 */
export function createAdaptiveWindow(baseMs: number, maxMs: number) {
  let windowMs = baseMs;
  return {
    windowMs: () => windowMs,
    /** After a broadcast that kept the loop busy for `spentMs`. */
    record(spentMs: number): void {
      windowMs = Math.min(Math.max(baseMs, maxMs), Math.max(baseMs, spentMs / BROADCAST_SHARE));
    },
  };
}
