import { describe, expect, it } from 'vitest';
import { ERROR_CODES, PUSHES } from '../../load-tests/k6/lib/contract.js';
import { byTag, observerThresholds, renderSummary, report, type SummaryData, verdict } from '../../load-tests/k6/lib/summary.js';

const counter = (count: number, thresholds?: Record<string, { ok: boolean }>) => ({
  type: 'counter',
  values: { count, rate: 0 },
  thresholds,
});
const SALE = [
  { metric: 'evently_seats_confirmed', stat: 'count', atLeast: 1, why: 'no seat was confirmed: the sale did not happen' },
];

/** The metrics of the run issue 26 saw: every sign-up refused, every threshold "passed" over nothing. */
const nothingSold: SummaryData = {
  state: { testRunDurationMs: 42_000 },
  metrics: {
    evently_signup_failures: counter(243_000),
    'evently_ack_ms{work:real}': { type: 'trend', values: { count: 0, 'p(95)': 0 }, thresholds: { 'p(95)<250': { ok: true } } },
  },
};

describe('k6 summary verdict', () => {
  it('fails a run that sold nothing, even when every threshold passed', () => {
    const v = verdict(nothingSold.metrics, SALE);
    expect(v.ok).toBe(false);
    expect(v.failures).toEqual([
      'no seat was confirmed: the sale did not happen (evently_seats_confirmed count 0, needs at least 1)',
    ]);
    expect(verdict({ evently_seats_confirmed: counter(0) }, SALE).ok).toBe(false);
  });

  it('passes a sale with its thresholds met, and fails on any failed threshold', () => {
    const sold = {
      evently_seats_confirmed: counter(120, { 'count>0': { ok: true } }),
      evently_unexpected_errors: counter(0, { 'count==0': { ok: true } }),
    };
    expect(verdict(sold, SALE)).toEqual({ ok: true, failures: [] });
    const slow = {
      ...sold,
      'evently_ack_ms{command:seats_hold,work:real}': {
        type: 'trend',
        values: { 'p(95)': 80 },
        thresholds: { 'p(95)<50': { ok: false } },
      },
    };
    expect(verdict(slow, SALE)).toEqual({
      ok: false,
      failures: ['threshold evently_ack_ms{command:seats_hold,work:real} p(95)<50 failed'],
    });
  });

  it('prints the outcome: sale lines, pushes by name, errors by code, thresholds, why it failed', () => {
    const data: SummaryData = {
      state: { testRunDurationMs: 65_400 },
      setup_data: { eventId: 'ev-1' },
      metrics: {
        evently_seats_confirmed: counter(0, { 'count>0': { ok: false } }),
        'evently_pushes{push:seats_delta}': counter(900, { 'count>=0': { ok: true } }),
        'evently_pushes{push:queue_admitted}': counter(20, { 'count>=0': { ok: true } }),
        'evently_pushes{push:hold_expired}': counter(0, { 'count>=0': { ok: true } }),
        'evently_errors{code:SOLD_OUT}': counter(35, { 'count>=0': { ok: true } }),
        'evently_errors{code:RATE_LIMITED}': counter(2, { 'count>=0': { ok: true } }),
        evently_unexpected_errors: counter(2, { 'count==0': { ok: false } }),
        evently_connect_ms: { type: 'trend', values: { med: 3.2, 'p(95)': 12, 'p(99)': 150.4, max: 300, count: 20 } },
      },
    };
    const { text, ok } = renderSummary(data, { script: 'flash-sale', checks: SALE, lines: () => ['seats sold (confirmed) 0'] });
    expect(ok).toBe(false);
    expect(text).toContain('evently flash-sale: FAIL (65.4 s)');
    expect(text).toContain('event ev-1');
    expect(text).toContain('seats sold (confirmed) 0');
    expect(text).toContain('pushes: seats_delta 900, queue_admitted 20\n');
    expect(text).toContain('error acks by code: SOLD_OUT 35, RATE_LIMITED 2\n');
    expect(text).toContain('evently_connect_ms: 3.2ms / 12.0ms / 150ms / 300ms');
    expect(text).toContain('FAIL evently_unexpected_errors count==0');
    expect(text).not.toContain('count>=0');
    expect(text).toContain('- no seat was confirmed');
    const out = report(data, { script: 'flash-sale', checks: SALE }, '/tmp/summary.json');
    expect(JSON.parse(out['/tmp/summary.json'] as string).verdict.ok).toBe(false);
    expect(Object.keys(report(data, { script: 'flash-sale', checks: SALE }))).toEqual(['stdout']);
  });

  it('observes every push and error code with thresholds that never fail', () => {
    const t = observerThresholds();
    for (const p of PUSHES) expect(t[`evently_pushes{push:${p.replace(/:/g, '_')}}`]).toEqual(['count>=0']);
    for (const c of [...ERROR_CODES, 'TIMEOUT', 'CLOSED']) expect(t[`evently_errors{code:${c}}`]).toEqual(['count>=0']);
    // k6 threshold selectors split on ':': no tag value may contain one.
    for (const key of Object.keys(t)) expect(key.split(':').length).toBe(2);
    expect(
      byTag(
        { 'evently_errors{code:A}': counter(1), 'evently_errors{code:B}': counter(3), evently_errors: counter(4) },
        'evently_errors',
        'code',
      ),
    ).toEqual([
      ['B', 3],
      ['A', 1],
    ]);
  });
});
