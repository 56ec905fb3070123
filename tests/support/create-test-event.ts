import type { CreateEventBody, EventDetail } from '../../core/contract/http.js';
import { http } from './http-client.js';

/** A small on-sale event by default; pass overrides for layout, sale time, admission. */
export async function createTestEvent(
  baseUrl: string,
  adminToken: string,
  overrides: Partial<CreateEventBody> = {},
): Promise<EventDetail> {
  const body: CreateEventBody = {
    name: 'Test Concert',
    venue: 'Test Hall',
    startsAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    sections: [{ name: 'A', priceCents: 5000, rows: 2, seatsPerRow: 10 }],
    ...overrides,
  };
  const res = await http<EventDetail>(baseUrl, 'POST', '/api/admin/events', { body, token: adminToken });
  if (res.status !== 201) throw new Error(`create event failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}
