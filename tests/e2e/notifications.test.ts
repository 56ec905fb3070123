import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventDetail } from '../../core/contract/http.js';
import { readMime } from '../../core/mail/read-mime.js';
import { type CapturedMail, type SmtpSink, startSmtpSink } from '../../core/mail/start-smtp-sink.js';
import { type AdmittedUser, admittedUser, OPEN_ADMISSION } from '../support/admit-user.js';
import { createTestEvent } from '../support/create-test-event.js';
import { dbQuery, seatIdsInOrder } from '../support/db-query.js';
import { http, loginAdmin } from '../support/http-client.js';
import { type StartedProcess, startGatewayProcess, startWorkerProcess } from '../support/start-process.js';
import { createTestEnv, type TestEnv } from '../support/test-env.js';
import { waitUntil } from '../support/wait-until.js';

let t: TestEnv;
let gw: StartedProcess;
let worker: StartedProcess;
let adminToken: string;
/** Every sink this file ran, so "exactly once" counts mail that reached any of them. */
const sinks: SmtpSink[] = [];
let port: number;
const mailDir = mkdtempSync(path.join(os.tmpdir(), 'evently-mail-'));

beforeAll(async () => {
  const sink = await startSmtpSink({ dir: mailDir });
  sinks.push(sink);
  port = sink.port;
  t = await createTestEnv({
    SMTP_URL: sink.url,
    MAIL_FROM: 'Evently <tickets@evently.test>',
    NOTIFY_POLL_MS: '100',
    NOTIFY_BACKOFF_MS: '200',
    NOTIFY_MAX_ATTEMPTS: '12',
    NOTIFY_HOLD_REMINDER_SECONDS: '3',
    HOLD_SWEEP_CRON: '*/1 * * * * *',
    DEV_MAIL_DIR: mailDir,
  });
  gw = await startGatewayProcess(t.env);
  worker = await startWorkerProcess(t.env);
  adminToken = (await loginAdmin(gw.url)).accessToken;
});
afterAll(async () => {
  await Promise.all(sinks.map((s) => s.close()));
  rmSync(mailDir, { recursive: true, force: true });
});

const allMail = (): CapturedMail[] => sinks.flatMap((s) => s.messages);
const mailTo = (email: string) => allMail().filter((m) => m.to.includes(email));
const emailOf = async (userId: string) =>
  (await dbQuery(t.databaseUrl, 'SELECT email FROM users WHERE id = $1', [userId]))[0].email as string;

async function book(u: AdmittedUser, eventId: string, seatIds: string[]) {
  const held = await u.client.seatsHold({ eventId, admissionToken: u.admissionToken, idempotencyKey: `h${seatIds[0]}`, seatIds });
  if (!held.ok) throw new Error(JSON.stringify(held.error));
  const done = await u.client.holdConfirm({
    holdId: held.data.holdId,
    idempotencyKey: `c${seatIds[0]}`,
    payment: { method: 'mock' },
  });
  if (!done.ok) throw new Error(JSON.stringify(done.error));
  return done.data;
}

async function newEvent(overrides: Record<string, unknown> = {}): Promise<EventDetail> {
  return createTestEvent(gw.url, adminToken, {
    name: 'Mail Night',
    admission: OPEN_ADMISSION,
    holdTtlSeconds: 3600,
    ...overrides,
  });
}

describe('notification mail through a real SMTP server', () => {
  it('mails a confirmed booking once, text and HTML, with the outbox id as Message-ID', async () => {
    const ev = await newEvent();
    const u = await admittedUser(gw.url, ev.id);
    const seats = await seatIdsInOrder(t.databaseUrl, ev.id);
    const booking = await book(u, ev.id, [seats[0] as string, seats[1] as string]);
    const email = await emailOf(u.userId);
    const [mail] = await waitUntil('the confirmation mail', () => (mailTo(email).length ? mailTo(email) : null), 60_000);
    const read = readMime((mail as CapturedMail).raw);
    expect(read.headers.subject).toBe(`Booking confirmed: Mail Night (${booking.reference})`);
    expect(read.headers.from).toContain('tickets@evently.test');
    expect(read.text).toContain(`Your booking ${booking.reference} for Mail Night at Test Hall`);
    expect(read.text).toContain('Total paid: 100.00.');
    expect(read.text).toContain('A row 1 seat 2');
    expect(read.html).toContain(`<p>Your booking ${booking.reference} for Mail Night at Test Hall`);
    expect(read.html).toContain('<li>A row 1 seat 1</li>');
    // The worker marks the row sent after the SMTP server has accepted the mail, so the mail can
    // arrive here a moment before that commit.
    const row = await waitUntil('the outbox row marked sent', async () => {
      const [r] = await dbQuery(t.databaseUrl, 'SELECT id, sent_at, attempts FROM notification_outbox WHERE dedupe_key = $1', [
        `booking_confirmed:${booking.bookingId}`,
      ]);
      return r?.sent_at ? r : null;
    });
    expect(read.headers['message-id']).toBe(`<${row.id}@evently.test>`);
    expect(row.sent_at).not.toBeNull();
    expect(row.attempts).toBe(1);

    // The local sink's mail, as `npm start` shows it without SMTP_URL.
    const page = await http(gw.url, 'GET', '/dev/mail');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.body).toContain(`Booking confirmed: Mail Night (${booking.reference})`);
    const part = await http(gw.url, 'GET', `/dev/mail/${(mail as CapturedMail).id}.html`);
    expect(part.body).toContain('<li>A row 1 seat 1</li>');
    // A traversal must reach the route as one segment: fetch would resolve a literal `../` in the
    // URL before sending it (and the request would be for /etc/passwd, the web app's business).
    const traversal = await http(gw.url, 'GET', '/dev/mail/..%2F..%2Fetc%2Fpasswd');
    expect(traversal.status).toBe(400);
    expect(String(traversal.body)).not.toContain('root:');
    expect((await http(gw.url, 'GET', '/dev/mail/not-an-id.html')).status).toBe(400);
    expect((await http(gw.url, 'GET', '/dev/mail/00000000-0000-4000-8000-000000000000.html')).status).toBe(404);
  });

  it('mails every buyer of a cancelled event with the refund', async () => {
    const ev = await newEvent({ name: 'Doomed Gig' });
    const seats = await seatIdsInOrder(t.databaseUrl, ev.id);
    const a = await admittedUser(gw.url, ev.id);
    const b = await admittedUser(gw.url, ev.id);
    await book(a, ev.id, [seats[0] as string]);
    await book(b, ev.id, [seats[1] as string, seats[2] as string]);
    expect((await http(gw.url, 'DELETE', `/api/admin/events/${ev.id}`, { token: adminToken })).status).toBe(200);
    for (const [u, refund] of [
      [a, '50.00'],
      [b, '100.00'],
    ] as const) {
      const email = await emailOf(u.userId);
      const mail = await waitUntil(
        'the cancellation mail',
        () => mailTo(email).find((m) => readMime(m.raw).headers.subject === 'Cancelled: Doomed Gig'),
        60_000,
      );
      expect(readMime(mail.raw).text).toContain(`You are refunded ${refund}.`);
    }
  });

  it('mails a waitlist offer with its deadline', async () => {
    const ev = await newEvent({ name: 'Tiny Room', sections: [{ name: 'A', priceCents: 2500, rows: 1, seatsPerRow: 1 }] });
    const [seat] = await seatIdsInOrder(t.databaseUrl, ev.id);
    const holder = await admittedUser(gw.url, ev.id);
    const held = await holder.client.seatsHold({
      eventId: ev.id,
      admissionToken: holder.admissionToken,
      idempotencyKey: 'wl-hold',
      seatIds: [seat as string],
    });
    expect(held.ok).toBe(true);
    const waiter = await admittedUser(gw.url, ev.id);
    const joined = await waiter.client.waitlistJoin({ eventId: ev.id, quantity: 1 });
    expect(joined.ok, JSON.stringify(joined)).toBe(true);
    if (held.ok) await holder.client.holdRelease({ holdId: held.data.holdId });
    const email = await emailOf(waiter.userId);
    const mail = await waitUntil(
      'the offer mail',
      () => mailTo(email).find((m) => readMime(m.raw).headers.subject === 'Seats for you: Tiny Room'),
      60_000,
    );
    const [offer] = await dbQuery(t.databaseUrl, `SELECT expires_at FROM holds WHERE user_id = $1 AND source = 'waitlist'`, [
      waiter.userId,
    ]);
    const deadline = `${(offer.expires_at as Date).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
    expect(readMime(mail.raw).text).toContain(`are held for you until ${deadline}`);
    expect(readMime(mail.raw).text).toContain('for 25.00');
  });

  it('mails a reminder before a hold expires, and none for a hold that was confirmed', async () => {
    const ev = await newEvent({ name: 'Short Holds', holdTtlSeconds: 7 });
    const seats = await seatIdsInOrder(t.databaseUrl, ev.id);
    const u = await admittedUser(gw.url, ev.id);
    const held = await u.client.seatsHold({
      eventId: ev.id,
      admissionToken: u.admissionToken,
      idempotencyKey: 'r1',
      seatIds: [seats[0] as string],
    });
    expect(held.ok).toBe(true);
    const buyer = await admittedUser(gw.url, ev.id);
    await book(buyer, ev.id, [seats[5] as string]);
    const email = await emailOf(u.userId);
    const mail = await waitUntil(
      'the reminder',
      () => mailTo(email).find((m) => readMime(m.raw).headers.subject === 'Your seats for Short Holds are about to be released'),
      30_000,
    );
    expect(readMime(mail.raw).text).toContain('Confirm your booking before then to keep them.');
    // The other hold became a booking at once: past its would-be reminder time it got none.
    await new Promise((r) => setTimeout(r, 6000));
    const buyerEmail = await emailOf(buyer.userId);
    expect(mailTo(buyerEmail).map((m) => readMime(m.raw).headers.subject)).toEqual([
      'Booking confirmed: Short Holds (' +
        (await dbQuery(t.databaseUrl, 'SELECT reference FROM bookings WHERE user_id = $1', [buyer.userId]))[0].reference +
        ')',
    ]);
  });

  it('SMTP server down, then back: the mail still goes out, exactly once', async () => {
    await (sinks[0] as SmtpSink).close();
    const ev = await newEvent({ name: 'Outage Show' });
    const u = await admittedUser(gw.url, ev.id);
    const booking = await book(u, ev.id, [(await seatIdsInOrder(t.databaseUrl, ev.id))[0] as string]);
    const key = `booking_confirmed:${booking.bookingId}`;
    const failed = await waitUntil(
      'failed delivery attempts',
      async () => {
        const [row] = await dbQuery(
          t.databaseUrl,
          'SELECT id, attempts, last_error, sent_at FROM notification_outbox WHERE dedupe_key = $1',
          [key],
        );
        return row && row.attempts >= 2 ? row : null;
      },
      60_000,
    );
    expect(failed.sent_at).toBeNull();
    expect(failed.last_error).toBeTruthy();

    sinks.push(await startSmtpSink({ port }));
    const email = await emailOf(u.userId);
    await waitUntil('the mail after the outage', () => mailTo(email).length > 0, 60_000);
    // Long enough for any duplicate (another retry, a re-relay) to have arrived.
    await new Promise((r) => setTimeout(r, 3000));
    const copies = allMail().filter((m) => readMime(m.raw).headers['message-id'] === `<${failed.id}@evently.test>`);
    expect(copies).toHaveLength(1);
    const [row] = await dbQuery(t.databaseUrl, 'SELECT sent_at, attempts FROM notification_outbox WHERE dedupe_key = $1', [key]);
    expect(row.sent_at).not.toBeNull();
    expect(row.attempts).toBeGreaterThanOrEqual(3);
  });

  it('a worker killed while the SMTP server is down: a new worker sends the mail, once', async () => {
    const current = sinks[sinks.length - 1] as SmtpSink;
    await current.close();
    const ev = await newEvent({ name: 'Crash Show' });
    const u = await admittedUser(gw.url, ev.id);
    const booking = await book(u, ev.id, [(await seatIdsInOrder(t.databaseUrl, ev.id))[0] as string]);
    const key = `booking_confirmed:${booking.bookingId}`;
    const failed = await waitUntil(
      'a failed delivery attempt',
      async () => {
        const [row] = await dbQuery(t.databaseUrl, 'SELECT id, attempts FROM notification_outbox WHERE dedupe_key = $1', [key]);
        return row && row.attempts >= 1 ? row : null;
      },
      60_000,
    );
    await worker.kill();
    sinks.push(await startSmtpSink({ port }));
    worker = await startWorkerProcess(t.env);
    const email = await emailOf(u.userId);
    await waitUntil('the mail after the crash', () => mailTo(email).length > 0, 90_000);
    await new Promise((r) => setTimeout(r, 3000));
    const copies = allMail().filter((m) => readMime(m.raw).headers['message-id'] === `<${failed.id}@evently.test>`);
    expect(copies).toHaveLength(1);
    // Its waits add up to more than the default 60 s: a worker killed mid-attempt leaves the job
    // locked until its lock lapses and a stalled check hands it to the new worker.
  }, 180_000);
});
