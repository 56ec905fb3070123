import { z } from 'zod';
import { AccessCodeKind } from '../../contract/access-codes.js';
import type { Pool } from '../../db/pool.js';
import { sql } from '../../db/sql.js';
import { withTransaction } from '../../db/with-transaction.js';
import { hashAccessCode } from '../../domain/access-code.js';
import { AppError } from '../../domain/app-error.js';

/** What a valid code gives its holder's `queue:join`: head of the room, and presale: open early. */
export interface QueuePriority {
  kind: AccessCodeKind;
  /** The presale window is open for this holder (presaleStartsAt <= now < saleStartsAt). */
  presaleOpen: boolean;
}

const CodeRow = z.object({
  id: z.string(),
  event_id: z.string(),
  kind: AccessCodeKind,
  max_uses: z.number(),
  uses: z.number(),
  presale_starts_at: z.date().nullable(),
  sale_starts_at: z.date(),
  already: z.boolean(),
});

const refused = () => new AppError('FORBIDDEN', 'this access code is not valid for this event');

/**
 * Counts one use of an access code for `queue:join`, exactly once per holder: the code row is
 * locked, so of two devices racing a single-use code one inserts the use and the other then
 * finds it used up. The same account using its code again (reconnect, second tab) costs nothing.
 * A wrong, used-up or other event's code is FORBIDDEN and changes nothing; a presale code before
 * presaleStartsAt is SALE_NOT_OPEN and is not used. Returns null for a presale code once the
 * public sale is open (it gives nothing more then, and is not used up).
 */
export async function redeemAccessCode(
  pool: Pool,
  a: { eventId: string; userId: string; code: string; now: Date },
): Promise<QueuePriority | null> {
  return withTransaction(pool, async (tx) => {
    const code = await tx.maybeOne(
      sql.type(CodeRow)`SELECT c.id, c.event_id, c.kind, c.max_uses, c.uses, e.presale_starts_at, e.sale_starts_at,
              EXISTS (SELECT 1 FROM access_code_uses u WHERE u.code_id = c.id AND u.user_id = ${a.userId}) AS already
         FROM access_codes c JOIN events e ON e.id = c.event_id
        WHERE c.code_hash = ${hashAccessCode(a.code)} FOR UPDATE OF c`,
    );
    if (!code || code.event_id !== a.eventId) throw refused();
    let presaleOpen = false;
    if (code.kind === 'presale') {
      if (a.now >= code.sale_starts_at) return null;
      if (!code.presale_starts_at || a.now < code.presale_starts_at) {
        throw new AppError('SALE_NOT_OPEN', 'the presale has not started', {
          presaleStartsAt: code.presale_starts_at?.toISOString() ?? null,
        });
      }
      presaleOpen = true;
    }
    if (!code.already) {
      if (code.uses >= code.max_uses) throw new AppError('FORBIDDEN', 'this access code is used up');
      await tx.query(
        sql.typeAlias(
          'void',
        )`INSERT INTO access_code_uses (code_id, user_id, event_id) VALUES (${code.id}, ${a.userId}, ${a.eventId})`,
      );
      await tx.query(sql.typeAlias('void')`UPDATE access_codes SET uses = uses + 1 WHERE id = ${code.id}`);
    }
    return { kind: code.kind, presaleOpen };
  });
}
