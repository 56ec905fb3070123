import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { migrate } from '../../core/db/migrate.js';
import { ensureServices } from '../../scripts/ensure-services.js';
import { databaseUrlFor } from './services.js';

declare module 'vitest' {
  export interface ProvidedContext {
    templateDatabase: string;
    adminDatabaseUrl: string;
    redisUrl: string;
  }
}

/**
 * Finds Postgres and Redis (TEST_DATABASE_URL / TEST_REDIS_URL, else the local servers, else
 * starts its own like `npm start` does), then migrates one template database per run; every
 * test file clones it (fast, isolated).
 */
export default async function setup(project: TestProject) {
  const services = await ensureServices(
    { DATABASE_URL: process.env.TEST_DATABASE_URL, REDIS_URL: process.env.TEST_REDIS_URL },
    path.join(os.tmpdir(), 'evently-test-services'),
    { database: 'postgres', pgPort: 54339, redisPort: 63798 },
  );
  const adminUrl = services.databaseUrl;
  const name = `evently_tpl_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  await migrate(databaseUrlFor(name, adminUrl));
  project.provide('templateDatabase', name);
  project.provide('adminDatabaseUrl', adminUrl);
  // Only REDIS_URL is passed in above: the suite always has one Redis server.
  if (services.redisUrl === null) throw new Error('the tests need one Redis server (TEST_REDIS_URL)');
  project.provide('redisUrl', services.redisUrl);
  return async () => {
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.end();
    await services.stop();
  };
}
