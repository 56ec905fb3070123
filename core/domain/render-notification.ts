import { escapeHtml } from './escape-html.js';

/** Every mail Evently sends, as plain data; rendered once, inside the transaction that caused it. */
export type Notification =
  | {
      kind: 'booking_confirmed';
      userId: string;
      eventId: string;
      bookingId: string;
      reference: string;
      totalCents: number;
      seats: readonly SeatLine[];
    }
  | {
      kind: 'waitlist_offer';
      userId: string;
      eventId: string;
      holdId: string;
      totalCents: number;
      seats: readonly SeatLine[];
      expiresAt: Date;
    }
  | { kind: 'hold_expiring'; userId: string; eventId: string; holdId: string; expiresAt: Date }
  | { kind: 'event_cancelled'; userId: string; eventId: string; bookingId: string; refundCents: number };

export interface SeatLine {
  section: string;
  row: number;
  number: number;
}

export interface MailContext {
  recipientName: string;
  eventName: string;
  venue: string;
  startsAt: Date;
}

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

/** The fact a mail is about: the same fact never makes two mails (outbox dedupe_key). */
export function notificationKey(n: Notification): string {
  switch (n.kind) {
    case 'booking_confirmed':
    case 'event_cancelled':
      return `${n.kind}:${n.bookingId}`;
    case 'waitlist_offer':
    case 'hold_expiring':
      return `${n.kind}:${n.holdId}`;
  }
}

export function formatCents(cents: number): string {
  return (cents / 100).toFixed(2);
}

const when = (d: Date) => `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
const seatList = (seats: readonly SeatLine[]) => seats.map((s) => `${s.section} row ${s.row} seat ${s.number}`);

/** Paragraphs (and one optional list) as text and as HTML, from the same lines. */
export function compose(subject: string, greeting: string, paragraphs: string[], list: string[] = []): RenderedMail {
  const text = [greeting, '', ...paragraphs.flatMap((p) => [p, '']), ...list.map((l) => `  - ${l}`), '', '— Evently']
    .join('\n')
    .replace(/\n{3,}/g, '\n\n');
  const html = [
    '<!doctype html><html><body>',
    `<p>${escapeHtml(greeting)}</p>`,
    ...paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`),
    list.length ? `<ul>${list.map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul>` : '',
    '<p>— Evently</p></body></html>',
  ].join('\n');
  return { subject, text, html };
}

export function renderNotification(n: Notification, c: MailContext): RenderedMail {
  const greeting = `Hello ${c.recipientName},`;
  const event = `${c.eventName} at ${c.venue}, ${when(c.startsAt)}`;
  switch (n.kind) {
    case 'booking_confirmed':
      return compose(
        `Booking confirmed: ${c.eventName} (${n.reference})`,
        greeting,
        [`Your booking ${n.reference} for ${event} is confirmed.`, `Total paid: ${formatCents(n.totalCents)}.`],
        seatList(n.seats),
      );
    case 'waitlist_offer':
      return compose(
        `Seats for you: ${c.eventName}`,
        greeting,
        [
          `Seats you waited for at ${event} are held for you until ${when(n.expiresAt)}.`,
          `Confirm them before then for ${formatCents(n.totalCents)}, or they go to the next person waiting.`,
        ],
        seatList(n.seats),
      );
    case 'hold_expiring':
      return compose(`Your seats for ${c.eventName} are about to be released`, greeting, [
        `Your hold on seats for ${event} expires at ${when(n.expiresAt)}.`,
        'Confirm your booking before then to keep them.',
      ]);
    case 'event_cancelled':
      return compose(`Cancelled: ${c.eventName}`, greeting, [
        `We are sorry: ${event} has been cancelled, and with it your booking.`,
        `You are refunded ${formatCents(n.refundCents)}.`,
      ]);
  }
}
