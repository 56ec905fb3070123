export type GatewayRole = 'all' | 'queue' | 'shop';
export type Tier = 'queue' | 'shop';

/**
 * The commands of people who wait or browse: the crowd of an on-sale sends them all in the same
 * second, so they run on gateways of their own and never share an event loop with a buyer's hold.
 */
const QUEUE_COMMANDS: ReadonlySet<string> = new Set([
  'queue:join',
  'queue:status',
  'availability:subscribe',
  'availability:unsubscribe',
]);

/** The commands of buyers: seat maps, holds, payments, waitlists, picking up after a reload. */
const SHOP_COMMANDS: ReadonlySet<string> = new Set([
  'seats:subscribe',
  'seats:unsubscribe',
  'seats:hold',
  'hold:release',
  'hold:confirm',
  'waitlist:join',
  'me:state',
]);

/**
 * Seat commands a shop gateway runs only for a user admitted to that event: the seat map is the
 * shop's costliest subscription. (Every hold, on any tier, already checks its admission token.)
 */
const ADMITTED_ONLY: ReadonlySet<string> = new Set(['seats:subscribe']);

/**
 * The tier a command belongs to; null for those either tier runs: leaving (`queue:leave`,
 * `waitlist:leave`) and one's bookings (`booking:list`, `booking:cancel`), which a user does from
 * wherever they are, also with no admission naming a shop (after the sale); the admin
 * namespace's commands, few and staff-only.
 */
export function tierOf(command: string): Tier | null {
  if (QUEUE_COMMANDS.has(command)) return 'queue';
  if (SHOP_COMMANDS.has(command)) return 'shop';
  return null;
}

/** Whether a gateway of this role runs the command (`all` runs every one). */
export function servesCommand(role: GatewayRole, command: string): boolean {
  const tier = tierOf(command);
  return role === 'all' || tier === null || tier === role;
}

/** Whether this role runs the command only for a user admitted to the payload's event. */
export function needsAdmission(role: GatewayRole, command: string): boolean {
  return role === 'shop' && ADMITTED_ONLY.has(command);
}
