import type { Browser } from 'playwright-core';
import { loginAdmin } from './http-client.js';
import { launchBrowser } from './launch-browser.js';
import { type StartedProcess, startGatewayProcess, startWorkerProcess } from './start-process.js';
import { createTestEnv, type TestEnv } from './test-env.js';

export interface BrowserSystem {
  browser: Browser;
  t: TestEnv;
  gw: StartedProcess;
  adminToken: string;
}

/**
 * Chromium, then one gateway and one worker on a fresh test env, and an admin token: what most
 * browser test files start with. The browser comes first: launching it builds the web app when
 * stale, and a gateway reads the built files when it starts.
 */
export async function startBrowserSystem(env: Record<string, string>): Promise<BrowserSystem> {
  const browser = await launchBrowser();
  const t = await createTestEnv(env);
  const [gw] = await Promise.all([startGatewayProcess(t.env), startWorkerProcess(t.env)]);
  const adminToken = (await loginAdmin(gw.url)).accessToken;
  return { browser, t, gw, adminToken };
}
