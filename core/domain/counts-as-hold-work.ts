/**
 * Whether a hold or confirm answer measured the hold path's real work (locks, Postgres) and so
 * belongs in the closed loop's latency signal. Refusals decided before that work (limits, bad
 * input, no admission, over the per-user limit...) answer in about 0 ms: a flood of them would
 * pull the p95 down and hide a slow database. Answers after the work count: ok, a seat taken
 * by someone else, a declined payment, and the slow ones (OVERLOADED at the deadline, INTERNAL).
 */
const WORK_OUTCOMES: ReadonlySet<string> = new Set([
  'ok',
  'SEAT_UNAVAILABLE',
  'PAYMENT_DECLINED',
  'CONFLICT',
  'OVERLOADED',
  'INTERNAL',
]);

export function countsAsHoldWork(outcome: string): boolean {
  return WORK_OUTCOMES.has(outcome);
}
