import type { Role } from '../contract/primitives.js';
import { AppError } from './app-error.js';

/** Who acts on the catalog: the signed-in user with the role it has now (read from the store). */
export interface Actor {
  userId: string;
  role: Role;
}

export function isStaff(role: Role): boolean {
  return role === 'admin' || role === 'organizer';
}

/** Admins manage everything; organizers what they own (events and venues they created). */
export function canManage(actor: Actor, ownerId: string | null): boolean {
  if (actor.role === 'admin') return true;
  return actor.role === 'organizer' && ownerId !== null && ownerId === actor.userId;
}

/** Throws FORBIDDEN unless the actor may manage what `ownerId` owns. */
export function assertCanManage(actor: Actor, ownerId: string | null, what: string): void {
  if (!canManage(actor, ownerId)) throw new AppError('FORBIDDEN', `not your ${what}`);
}
