import { describe, expect, it } from 'vitest';
import { chooseBestSeats, type FreeSeat } from '../../core/domain/choose-best-seats.js';

/** A grid of free seats; `taken` lists "row:number" pairs that are not free. */
function grid(rows: number, perRow: number, taken: string[] = [], sectionRank = 0): FreeSeat[] {
  const out: FreeSeat[] = [];
  for (let row = 1; row <= rows; row++) {
    for (let number = 1; number <= perRow; number++) {
      if (!taken.includes(`${row}:${number}`)) out.push({ id: `${sectionRank}-${row}-${number}`, sectionRank, row, number });
    }
  }
  return out;
}

describe('chooseBestSeats', () => {
  it('takes adjacent seats in the best row, centred in the run', () => {
    expect(chooseBestSeats(grid(3, 10), 2)).toEqual(['0-1-5', '0-1-6']);
  });

  it('skips to the next row when the front row has no run long enough', () => {
    const taken = ['1:3', '1:6', '1:9'];
    expect(chooseBestSeats(grid(2, 10, taken), 3)).toEqual(['0-2-4', '0-2-5', '0-2-6']);
  });

  it('prefers the first section over a better row of a later one', () => {
    const seats = [...grid(1, 4, ['1:1', '1:2', '1:3', '1:4']), ...grid(5, 4, ['1:1'], 1), ...grid(3, 4, [], 2)];
    expect(chooseBestSeats(seats, 2)[0]?.startsWith('1-')).toBe(true);
  });

  it('falls back to the nearest seats when no row has room, growing from the largest run', () => {
    // Row 1: 1,2 free; row 2: 5 free; row 3: 1,2,3 free. Four seats: the run of three plus a neighbour.
    const seats = grid(3, 5, ['1:3', '1:4', '1:5', '2:1', '2:2', '2:3', '2:4', '3:4', '3:5']);
    const chosen = chooseBestSeats(seats, 4);
    expect(chosen).toHaveLength(4);
    expect(chosen).toEqual(expect.arrayContaining(['0-3-1', '0-3-2', '0-3-3']));
    expect(['0-2-5', '0-1-1', '0-1-2']).toContain(chosen.find((id) => !id.startsWith('0-3-')));
  });

  it('never returns a seat twice, and returns all that is free when there is too little', () => {
    const seats = grid(1, 3);
    expect(chooseBestSeats(seats, 5).sort()).toEqual(['0-1-1', '0-1-2', '0-1-3']);
    expect(chooseBestSeats(seats, 0)).toEqual([]);
    expect(chooseBestSeats([], 2)).toEqual([]);
  });

  it('does not depend on input order', () => {
    const seats = grid(4, 8, ['1:4', '2:2', '2:7']);
    const shuffled = [...seats].reverse();
    expect(chooseBestSeats(shuffled, 5)).toEqual(chooseBestSeats(seats, 5));
  });
});
