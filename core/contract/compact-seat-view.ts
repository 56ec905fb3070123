import type { CompactSeatMap } from './commands.js';
import type { PushPayload } from './pushes.js';

export type CompactStatusChar = 'a' | 'h' | 's';
export const STATUS_CHAR = { available: 'a', held: 'h', sold: 's' } as const;

/**
 * A client's copy of one event's compact seat state. `apply` answers `resync` when a
 * delta does not follow the last seq it saw: something was missed, subscribe again and `reset`
 * with the new reply. Browsers, the load harness and tests share it so they agree on the rule.
 */
export function createCompactSeatView(initial: CompactSeatMap) {
  let seq = initial.seq;
  let status = initial.status.split('') as CompactStatusChar[];
  return {
    seq: () => seq,
    status: () => status.join(''),
    at: (index: number) => status[index],
    apply(delta: PushPayload<'seats:delta'>): 'applied' | 'stale' | 'resync' {
      if (delta.seq <= seq) return 'stale';
      if (delta.prevSeq !== seq) return 'resync';
      for (const [index, c] of delta.changes) status[index] = c;
      seq = delta.seq;
      return 'applied';
    },
    reset(next: CompactSeatMap): void {
      seq = next.seq;
      status = next.status.split('') as CompactStatusChar[];
    },
  };
}

export type CompactSeatView = ReturnType<typeof createCompactSeatView>;
