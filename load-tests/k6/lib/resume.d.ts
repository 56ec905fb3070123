// Types of resume.js for the TypeScript test that checks it.
export interface Admission {
  admissionToken: string;
  expiresAt?: string;
  shopUrl?: string;
}
export type Step =
  | { step: 'pay'; hold: { holdId: string; eventId: string; seats: unknown[]; origin?: string } }
  | { step: 'shop'; admission: Admission }
  | { step: 'wait-admission' }
  | { step: 'wait-offer' }
  | { step: 'join' };
export declare function nextStep(state: unknown, eventId: string): Step;
export declare function shopBaseUrl(baseUrl: string, shopUrl: unknown): string;
