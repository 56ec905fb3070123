// Types of summary.js for the TypeScript test that checks it.
export interface Metric {
  type?: string;
  contains?: string;
  values: Record<string, number>;
  thresholds?: Record<string, { ok: boolean }>;
}
export interface SummaryData {
  metrics: Record<string, Metric>;
  state?: { testRunDurationMs?: number };
  setup_data?: unknown;
}
export interface OutcomeCheck {
  metric: string;
  stat: string;
  atLeast: number;
  why: string;
}
export interface SummarySpec {
  script: string;
  checks: OutcomeCheck[];
  lines?: (metrics: SummaryData['metrics']) => string[];
}
export declare function observerThresholds(): Record<string, string[]>;
export declare function stat(metrics: SummaryData['metrics'], name: string, stat: string): number;
export declare function verdict(metrics: SummaryData['metrics'], checks: OutcomeCheck[]): { ok: boolean; failures: string[] };
export declare function byTag(metrics: SummaryData['metrics'], name: string, tag: string): [string, number][];
export declare function renderSummary(data: SummaryData, spec: SummarySpec): { text: string; ok: boolean; failures: string[] };
export declare function report(data: SummaryData, spec: SummarySpec, summaryJson?: string): Record<string, string>;
