import type { EventlyClient } from '../../core/contract/create-client.js';
import { admit } from './admit-user.js';
import { createBulkUsers } from './bulk-users.js';
import { connectClient } from './connect-client.js';

export interface Racer {
  userId: string;
  accessToken: string;
  client: EventlyClient;
  admissionToken: string;
}

/** `count` bulk users, connected round-robin to the gateways and admitted to the event. */
export async function admitRacers(
  databaseUrl: string,
  jwtAccessSecret: string,
  urls: readonly string[],
  eventId: string,
  count: number,
): Promise<Racer[]> {
  const users = await createBulkUsers(databaseUrl, jwtAccessSecret, count);
  const racers: Racer[] = [];
  for (let i = 0; i < users.length; i += 100) {
    racers.push(
      ...(await Promise.all(
        users.slice(i, i + 100).map(async (u, j) => {
          const client = await connectClient(urls[(i + j) % urls.length] as string, u.accessToken);
          return { ...u, client, admissionToken: await admit(client, eventId) };
        }),
      )),
    );
  }
  return racers;
}
