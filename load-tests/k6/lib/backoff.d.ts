// Types of backoff.js for the TypeScript test that checks it.
export declare const MAX_BACKOFF_MS: number;
export declare function backoffDelayMs(hintMs: number, failures: number, random?: () => number): number;
export declare function retryHintMs(retryAfterHeader: string | undefined, body: string | null | undefined): number;
