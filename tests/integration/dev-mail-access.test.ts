import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { http } from '../support/http-client.js';
import { type StartedProcess, startGatewayProcess } from '../support/start-process.js';
import { createTestEnv, type TestEnv } from '../support/test-env.js';

let t: TestEnv;
let dev: StartedProcess;
const mailDir = mkdtempSync(path.join(tmpdir(), 'evently-devmail-'));

/** An address of this machine that is not loopback, if it has one. */
const outward = Object.values(networkInterfaces())
  .flat()
  .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;

beforeAll(async () => {
  t = await createTestEnv();
  dev = await startGatewayProcess({ ...t.env, HOST: '0.0.0.0', DEV_MAIL_DIR: mailDir });
});

describe('/dev/mail', () => {
  it('answers only this machine asking directly', async () => {
    const local = await http(dev.url, 'GET', '/dev/mail');
    expect(local.status).toBe(200);
    expect(String(local.body)).toContain('local SMTP sink');
    const viaProxy = await http(dev.url, 'GET', '/dev/mail', { headers: { 'x-forwarded-for': '203.0.113.5' } });
    expect(viaProxy.status).toBe(404);
    if (outward) {
      const remote = await http(`http://${outward}:${dev.port}`, 'GET', '/dev/mail');
      expect(remote.status).toBe(404);
      expect((await http(`http://${outward}:${dev.port}`, 'GET', '/health')).status).toBe(200);
    }
  });

  it('does not exist with NODE_ENV=production', async () => {
    const prod = await startGatewayProcess({
      ...t.env,
      NODE_ENV: 'production',
      DEV_MAIL_DIR: mailDir,
      JWT_ACCESS_SECRET: randomBytes(32).toString('hex'),
      ADMISSION_TOKEN_SECRET: randomBytes(32).toString('hex'),
      METRICS_TOKEN: randomBytes(32).toString('hex'),
      ADMIN_PASSWORD: randomBytes(16).toString('hex'),
    });
    try {
      // No such route: at most the web app's own page (its catch-all), never the mail.
      const page = await http(prod.url, 'GET', '/dev/mail');
      expect(String(page.body)).not.toContain('local SMTP sink');
      expect([200, 404]).toContain(page.status);
      expect((await http(prod.url, 'GET', '/health')).status).toBe(200);
    } finally {
      await prod.stop();
    }
  });
});
