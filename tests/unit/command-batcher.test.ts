import client from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createBatcher } from '../../core/batching/command-batcher.js';

interface Req {
  userId: string;
  name: string;
}

/** A batcher of one key whose writes wait until the test lets each batch finish. */
function harness() {
  const metrics = {
    name: 'test',
    size: new client.Histogram({ name: 'test_batch_size', help: 'x', registers: [] }),
    seconds: new client.Histogram({ name: 'test_batch_seconds', help: 'x', registers: [] }),
    shed: new client.Counter({ name: 'test_shed', help: 'x', labelNames: ['reason'], registers: [] }),
  };
  const batches: string[][] = [];
  const finish: (() => void)[] = [];
  const batcher = createBatcher<Req, string>(
    { windowMs: 1, maxBatch: 2, queueMax: 100, userMaxPending: 100, maxInFlight: 1 },
    metrics,
    (_key, batch) =>
      new Promise((resolve) => {
        batches.push(batch.map((r) => r.name));
        finish.push(() => resolve(batch.map((r) => r.name)));
      }),
  );
  const submit = (name: string, retry = false) => batcher.submit('event', { userId: name, name }, Date.now() + 60_000, { retry });
  /** Lets the batch being written end, then waits for the next one to start (or the queue to empty). */
  const endBatch = async () => {
    finish.shift()?.();
    for (let i = 0; i < 50 && finish.length === 0 && batcher.pending() > 0; i++) await new Promise((r) => setTimeout(r, 2));
  };
  return { batches, submit, endBatch, pending: () => batcher.pending() };
}

describe('createBatcher', () => {
  it('puts a retry before every first try waiting, after earlier retries (it keeps its place in line)', async () => {
    const h = harness();
    const all = [h.submit('a'), h.submit('b')]; // a full batch: written at once
    all.push(h.submit('c'), h.submit('d'), h.submit('r1', true), h.submit('r2', true));
    await h.endBatch();
    await h.endBatch();
    await h.endBatch();
    expect(await Promise.all(all)).toEqual(['a', 'b', 'c', 'd', 'r1', 'r2']);
    expect(h.batches).toEqual([
      ['a', 'b'],
      ['r1', 'r2'],
      ['c', 'd'],
    ]);
  });

  it('counts the retries that are left at the head after a batch takes some of them', async () => {
    const h = harness();
    const all = [h.submit('a'), h.submit('b')];
    all.push(h.submit('c'), h.submit('d'), h.submit('e'), h.submit('r1', true));
    await h.endBatch(); // [r1, c] starts; d, e wait with no retry ahead of them
    all.push(h.submit('r2', true));
    while (h.pending() > 0) await h.endBatch();
    await Promise.all(all);
    expect(h.batches).toEqual([['a', 'b'], ['r1', 'c'], ['r2', 'd'], ['e']]);
    expect(h.pending()).toBe(0);
  });

  it('keeps first tries in arrival order', async () => {
    const h = harness();
    const all = ['a', 'b', 'c', 'd', 'e'].map((n) => h.submit(n));
    while (h.pending() > 0) await h.endBatch();
    await Promise.all(all);
    expect(h.batches).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
  });
});
