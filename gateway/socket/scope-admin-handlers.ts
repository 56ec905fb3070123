import { AppError } from '../../core/domain/app-error.js';
import { isStaff } from '../../core/domain/can-manage.js';
import { assertManagesEvent } from '../../core/use-cases/catalog/assert-manages-event.js';
import { getCurrentActor } from '../../core/use-cases/users/get-current-actor.js';
import type { AdminSocket } from '../io/typed-server.js';
import type { CallContext } from './bind-commands.js';

type AdminHandler = (payload: never, call: CallContext<AdminSocket>) => Promise<unknown>;

/**
 * `/admin` serves admins and organizers. Every command of an organizer must name an event it
 * owns (FORBIDDEN otherwise, NOT_FOUND for no event); admins pass untouched. The role is read
 * from Postgres, as for HTTP, so a demotion counts from the next command on. One wrapper for all
 * `/admin` commands, so a new command cannot forget the check.
 */
export function scopeAdminHandlers<H extends Record<string, AdminHandler | undefined>>(handlers: H): H {
  const scoped: Record<string, AdminHandler> = {};
  for (const [name, handler] of Object.entries(handlers)) {
    if (!handler) continue;
    scoped[name] = async (payload, call) => {
      // Every command, admins too: the token's role claim alone grants nothing.
      const actor = await getCurrentActor(call.app.pool, call.user());
      if (!isStaff(actor.role)) throw new AppError('FORBIDDEN', 'admins and organizers only');
      if (actor.role !== 'admin') {
        const eventId = (payload as { eventId?: string }).eventId;
        if (!eventId) throw new AppError('FORBIDDEN', 'organizers must name one of their events');
        await assertManagesEvent(call.app.pool, actor, eventId);
      }
      return handler(payload, call);
    };
  }
  return scoped as H;
}
