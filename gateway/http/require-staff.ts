import type { Db } from '../../core/db/pool.js';
import { AppError } from '../../core/domain/app-error.js';
import { type Actor, isStaff } from '../../core/domain/can-manage.js';
import { getCurrentActor } from '../../core/use-cases/users/get-current-actor.js';
import type { HttpRequest } from './http-request.js';
import { requireUser } from './require-principal.js';

/** An admin or organizer by its current role (a role change takes effect on the next request). */
export async function requireStaff(req: HttpRequest, secret: string, db: Db): Promise<Actor> {
  const actor = await getCurrentActor(db, requireUser(req, secret));
  if (!isStaff(actor.role)) throw new AppError('FORBIDDEN', 'admins and organizers only');
  return actor;
}

/** An admin by its current role. */
export async function requireCurrentAdmin(req: HttpRequest, secret: string, db: Db): Promise<Actor> {
  const actor = await getCurrentActor(db, requireUser(req, secret));
  if (actor.role !== 'admin') throw new AppError('FORBIDDEN', 'admins only');
  return actor;
}
