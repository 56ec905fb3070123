import { mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll } from 'vitest';
import { ensureWebAppBuilt } from '../../scripts/build-web-app.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/**
 * The committed README screenshots are rewritten only on request (`UPDATE_SCREENSHOTS=1 npm test`):
 * otherwise every test run would leave changed PNGs in everyone's working tree.
 */
export const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS
  ? path.join(ROOT, 'docs/screenshots')
  : path.join(os.tmpdir(), 'evently-screenshots');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const browsers = new Set<Browser>();
afterAll(async () => {
  await Promise.all([...browsers].map((b) => b.close().catch(() => {})));
});

/** Debian's Chromium, headless, driven by playwright-core; builds the web app first when stale. */
export async function launchBrowser(): Promise<Browser> {
  await ensureWebAppBuilt();
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  browsers.add(browser);
  return browser;
}

export interface WatchedPage {
  page: Page;
  context: BrowserContext;
  /** Console errors and uncaught page errors seen so far (a page must end with none). */
  errors: string[];
}

/** A fresh context (its own storage, like another person's browser) with one page, watched for errors. */
export async function openPage(browser: Browser, baseUrl: string): Promise<WatchedPage> {
  const context = await browser.newContext({ baseURL: baseUrl, viewport: { width: 1200, height: 900 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()} (${m.location().url})`);
  });
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  return { page, context, errors };
}

/** A PNG of the page for docs/screenshots (committed and shown in the README). */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: false });
}

/** Signs in through the page's own form. */
export async function signIn(page: Page, email: string, password: string, next = '/'): Promise<void> {
  await page.goto(`/login?next=${encodeURIComponent(next)}`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('signed-in-as').waitFor();
}
