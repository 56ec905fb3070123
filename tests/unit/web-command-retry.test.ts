import { describe, expect, it } from 'vitest';
import type { Ack } from '../../core/contract/ack.js';
import { CommandError, runCommand as command } from '../../gateway/web/src/live/run-command.js';

function scripted<T>(acks: Ack<T>[]) {
  const sent: number[] = [];
  const send = async () => {
    sent.push(Date.now());
    return acks[Math.min(sent.length - 1, acks.length - 1)]!;
  };
  return { send, sent };
}
const busy = (code: string, retryAfterMs = 100): Ack<never> => ({
  ok: false,
  error: { code: code as never, message: code, retryable: true, details: { retryAfterMs } },
});

describe("the web app's command runner", () => {
  it('sends the same command again after retryAfterMs on OVERLOADED and RATE_LIMITED, telling the page each time', async () => {
    const { send, sent } = scripted<{ holdId: string }>([
      busy('OVERLOADED', 150),
      busy('RATE_LIMITED', 100),
      { ok: true, data: { holdId: 'h' } },
    ]);
    const told: string[] = [];
    const started = Date.now();
    expect(await command(send, { onRetry: (e) => told.push(e.code) })).toEqual({ holdId: 'h' });
    expect(told).toEqual(['OVERLOADED', 'RATE_LIMITED']);
    expect(sent.length).toBe(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(240);
  });

  it('gives up after its attempts and never retries what cannot succeed unchanged', async () => {
    const always = scripted([busy('OVERLOADED', 100)]);
    await expect(command(always.send, { attempts: 3 })).rejects.toBeInstanceOf(CommandError);
    expect(always.sent.length).toBe(3);
    const taken = scripted([
      { ok: false, error: { code: 'SEAT_UNAVAILABLE', message: 'taken', retryable: false } } as Ack<never>,
    ]);
    const err = await command(taken.send).catch((e) => e);
    expect(err).toBeInstanceOf(CommandError);
    expect(err.code).toBe('SEAT_UNAVAILABLE');
    expect(taken.sent.length).toBe(1);
  });

  it('treats a lost answer (timeout) as retryable, so an idempotent command is sent again', async () => {
    let calls = 0;
    const send = async (): Promise<Ack<number>> => {
      calls += 1;
      if (calls === 1) throw new Error('operation has timed out');
      return { ok: true, data: 7 };
    };
    expect(await command(send)).toBe(7);
    expect(calls).toBe(2);
  });
});
