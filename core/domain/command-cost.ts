/**
 * What one command takes from a client's allowance, relative to a cheap read (1). Costs follow
 * what the server spends: a full seat map is a large read and a large reply; a waitlist join or
 * leave re-numbers and pushes to every entry; holds and confirms take Postgres row locks.
 */
const costs: Readonly<Record<string, number>> = {
  'seats:subscribe': 5,
  'waitlist:join': 3,
  'waitlist:leave': 3,
  'seats:hold': 2,
  'hold:confirm': 2,
  'booking:cancel': 2,
  'analytics:subscribe': 3,
};

/** Any name a client sends (also `toString`, `__proto__`): only the table's own entries count. */
export function commandCost(command: string): number {
  return Object.hasOwn(costs, command) ? (costs[command] as number) : 1;
}
