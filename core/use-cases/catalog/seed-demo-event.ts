import { z } from 'zod';
import type { Pool } from '../../db/pool.js';
import { sql } from '../../db/sql.js';
import { createEvent } from './create-event.js';
import type { EventDefaults } from './event-defaults.js';

/** Seeds one on-sale demo event when the database has no events at all; returns its id. */
export async function seedDemoEvent(pool: Pool, defaults: EventDefaults, now: Date): Promise<string | null> {
  const events = await pool.oneFirst(sql.type(z.object({ n: z.number() }))`SELECT count(*) AS n FROM events`);
  if (events > 0) return null;
  const event = await createEvent(
    pool,
    {
      name: 'Evently Live: Demo Night',
      venue: 'Demo Arena',
      startsAt: new Date(now.getTime() + 30 * 86_400_000).toISOString(),
      saleStartsAt: now.toISOString(),
      sections: [
        { name: 'Floor', priceCents: 12_000, rows: 10, seatsPerRow: 20 },
        { name: 'Balcony', priceCents: 6_500, rows: 6, seatsPerRow: 25 },
      ],
    },
    defaults,
    null,
    now,
  );
  return event.id;
}
