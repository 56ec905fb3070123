// Types of altcha.js for the TypeScript test that checks it.
export interface Challenge {
  algorithm: string;
  challenge: string;
  salt: string;
  maxnumber: number;
  signature: string;
}
export declare const MAX_WORK: number;
export declare function challengeOf(ack: { ok: boolean; error?: { code: string; details?: unknown } }): Challenge | null;
export declare function solveSlice(c: Challenge, sha256hex: (text: string) => string, from?: number, to?: number): number | null;
export declare function solveChallenge(
  c: Challenge,
  sha256hex: (text: string) => string,
  pause: () => Promise<unknown>,
  slice?: number,
): Promise<number | null>;
export declare function encodeProof(c: Challenge, number: number): string;
export declare function base64(text: string): string;
