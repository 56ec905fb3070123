import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { WEB_DIST } from '../../scripts/build-web-app.js';
import { admittedUser, OPEN_ADMISSION } from '../support/admit-user.js';
import { createTestEvent } from '../support/create-test-event.js';
import { registerUser } from '../support/http-client.js';
import { openPage, signIn } from '../support/launch-browser.js';
import { startBrowserSystem } from '../support/start-browser-system.js';
import type { StartedProcess } from '../support/start-process.js';

/**
 * Measures, does not judge: the bundle's gzipped size, the time to first render of a 5,000- and a
 * 20,000-seat map in headless Chromium, and the time from a `seats:delta` arriving to the seat
 * being repainted. It prints them; its assertions are about correctness only (every seat drawn,
 * every change shown).
 */
let gw: StartedProcess;
let adminToken: string;
let browser: Browser;

beforeAll(async () => {
  ({ browser, gw, adminToken } = await startBrowserSystem({ ADMISSION_RECONCILE_MS: '200', HTTP_MAX_BODY_BYTES: '1000000' }));
}, 180_000);

const say = (line: string) => process.stdout.write(`${line}\n`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))] ?? NaN;

interface PageTiming {
  firstPaintAt: number | null;
  firstPaintMs: number | null;
  repaints: number[];
  sync?: { startedAt: number; loadedAt: number | null; mode: string };
}
const timing = (page: import('playwright-core').Page) =>
  page.evaluate(() => {
    const g = globalThis as { __eventlySeatMap?: PageTiming; __eventlySync?: PageTiming['sync'] };
    return { ...g.__eventlySeatMap, sync: g.__eventlySync } as PageTiming;
  });

describe('seat map timings (printed, not asserted)', () => {
  it('reports the bundle size', () => {
    const assets = readdirSync(path.join(WEB_DIST, 'assets')).filter((f) => f.endsWith('.js') || f.endsWith('.css'));
    const sizes = assets.map((f) => {
      const body = readFileSync(path.join(WEB_DIST, 'assets', f));
      return { f, raw: body.length, gz: gzipSync(body, { level: 9 }).length };
    });
    for (const s of sizes) say(`bundle ${s.f}: ${(s.raw / 1024).toFixed(1)} KiB, ${(s.gz / 1024).toFixed(1)} KiB gzipped`);
    const js = sizes.filter((s) => s.f.endsWith('.js'));
    say(`bundle JS total: ${(js.reduce((n, s) => n + s.gz, 0) / 1024).toFixed(1)} KiB gzipped`);
    expect(js.length).toBeGreaterThan(0);
  });

  for (const [seats, sections] of [
    [
      5_000,
      [
        { name: 'Floor', priceCents: 8000, rows: 25, seatsPerRow: 100 },
        { name: 'Upper', priceCents: 4000, rows: 25, seatsPerRow: 100 },
      ],
    ],
    [
      20_000,
      ['North', 'East', 'South', 'West'].map((name, i) => ({ name, priceCents: 2000 + i * 1000, rows: 50, seatsPerRow: 100 })),
    ],
  ] as const) {
    it(`renders a ${seats.toLocaleString()}-seat map and repaints pushed changes`, async () => {
      const event = await createTestEvent(gw.url, adminToken, {
        sections: [...sections],
        admission: OPEN_ADMISSION,
        maxSeatsPerUser: 100,
      });
      const buyer = await registerUser(gw.url);
      const { page, errors } = await openPage(browser, gw.url);
      await signIn(page, buyer.user.email, 'password-123', `/events/${event.id}`);
      await page.getByRole('button', { name: 'Join the waiting room' }).click();
      await page.getByTestId('seat-map').waitFor({ timeout: 30_000 });
      // Admitted now: a reload is what a returning buyer sees, from navigation to a painted map.
      const runs: PageTiming[] = [];
      for (let i = 0; i < 3; i++) {
        await page.reload();
        await page.waitForFunction(() => (globalThis as { __eventlySeatMap?: PageTiming }).__eventlySeatMap?.firstPaintAt, null, {
          timeout: 30_000,
        });
        runs.push(await timing(page));
      }
      await expect.poll(() => page.getByTestId('seat-counts').textContent()).toBe(`${seats} available · 0 held · 0 sold`);

      // Another buyer holds seats one by one; each delta's receive-to-repaint time is recorded in the page.
      const other = await admittedUser(gw.url, event.id);
      const ids = (await other.client.send('seats:subscribe', { eventId: event.id })) as {
        ok: true;
        data: { seats: { id: string }[] };
      };
      const picks = ids.data.seats.slice(0, 40);
      for (const [i, s] of picks.entries()) {
        const ack = await other.client.seatsHold({
          eventId: event.id,
          admissionToken: other.admissionToken,
          idempotencyKey: `t${i}`,
          seatIds: [s.id],
        });
        expect(ack.ok).toBe(true);
      }
      await expect
        .poll(() => page.getByTestId('seat-counts').textContent(), { timeout: 20_000 })
        .toBe(`${seats - picks.length} available · ${picks.length} held · 0 sold`);
      const repaints = (await timing(page)).repaints;
      const load = `uptime: ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`;
      say(
        `seat map ${seats}: first render after navigation ${runs.map((r) => r.firstPaintAt!.toFixed(0)).join(' / ')} ms ` +
          `(of which subscribe+layout ${runs.map((r) => (r.sync!.loadedAt! - r.sync!.startedAt).toFixed(0)).join(' / ')} ms, ` +
          `full paint ${runs.map((r) => r.firstPaintMs!.toFixed(1)).join(' / ')} ms; sync ${runs[0]?.sync?.mode}); ${load}`,
      );
      say(
        `seat map ${seats}: delta received -> seat repainted over ${repaints.length} deltas: median ${median(repaints).toFixed(1)} ms, ` +
          `p95 ${pct(repaints, 0.95).toFixed(1)} ms, max ${Math.max(...repaints).toFixed(1)} ms`,
      );
      expect(repaints.length).toBeGreaterThan(0);
      expect(errors).toEqual([]);
      await page.context().close();
    }, 180_000);
  }
});
