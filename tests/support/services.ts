import { inject } from 'vitest';

/** The admin connection of the Postgres the suite uses (chosen once by the global setup). */
export function adminDatabaseUrl(): string {
  return inject('adminDatabaseUrl');
}

export function testRedisUrl(): string {
  return inject('redisUrl');
}

export function databaseUrlFor(name: string, adminUrl: string = adminDatabaseUrl()): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
