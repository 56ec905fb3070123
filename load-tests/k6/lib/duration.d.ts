// Types of duration.js for the TypeScript test that checks it.
export declare function parseDurationMs(d: string, name?: string): number;
export declare function envDurationMs(env: Record<string, string | undefined>, name: string, fallback: string): number;
export declare function k6Duration(ms: number): string;
export declare function refuseRetired(env: Record<string, string | undefined>, renamed: Record<string, string>): void;
