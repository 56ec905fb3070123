/**
 * How much work a waiting-room challenge asks: the range its secret number is drawn from (a
 * solver tries half of it on average). It doubles each time the crowd already waiting doubles
 * past `crowdStep`: an empty room costs a fan the minimum, a room with 8 steps of people waiting
 * costs everyone arriving now 8 times that (up to `maxNumberMax`). The work scales with the pressure a
 * farm puts on the room, so the farm's own accounts are what make each of its next joins dearer.
 */
export function challengeMaxNumber(
  waiting: number,
  s: { maxNumberMin: number; maxNumberMax: number; crowdStep: number },
): number {
  const doublings = Math.floor(Math.log2(1 + Math.max(0, waiting) / s.crowdStep));
  return Math.min(s.maxNumberMax, s.maxNumberMin * 2 ** doublings);
}
