// Types of contract.js for the TypeScript test that checks it against core/contract.
export declare const COMMANDS: string[];
export declare const V12_COMMANDS: string[];
export declare const ADMIN_COMMANDS: string[];
export declare const PUSHES: string[];
export declare const ADMIN_PUSHES: string[];
export declare const ERROR_CODES: string[];
export declare const EXPECTED_ERRORS: Record<string, string[]>;
export declare function isExpectedError(command: string, code: string): boolean;
export declare function ackWork(command: string, ack: { ok: boolean; error?: { code: string } }): 'real' | 'trivial';
export declare const payloads: {
  eventOnly(eventId: string): { eventId: string };
  queueJoin(eventId: string, proof?: string): { eventId: string; proof?: string };
  meState(): Record<string, never>;
  subscribeCompact(eventId: string): { eventId: string; format: 'compact' };
  holdBestAvailable(p: {
    eventId: string;
    admissionToken: string;
    idempotencyKey: string;
    quantity: number;
    section?: string;
  }): Record<string, unknown>;
  confirm(holdId: string, idempotencyKey: string): Record<string, unknown>;
  release(holdId: string): { holdId: string };
  cancelBooking(bookingId: string): { bookingId: string };
  waitlistJoin(eventId: string, quantity: number): { eventId: string; quantity: number };
  bookingList(): Record<string, never>;
  analyticsSubscribe(eventId?: string): { eventId?: string };
};
