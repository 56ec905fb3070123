// Types of duration.js for the TypeScript test that checks it.
export declare function parseDurationMs(d: string, name?: string): number;
