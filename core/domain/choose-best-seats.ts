/** A free seat as best-available sees it; `sectionRank` orders sections (0 = best). */
export interface FreeSeat {
  id: string;
  sectionRank: number;
  row: number;
  number: number;
}

/** Row distance weighs more than seat distance: two seats in one row beat a seat in front. */
const ROW_WEIGHT = 4;

const byPlace = (a: FreeSeat, b: FreeSeat) => a.sectionRank - b.sectionRank || a.row - b.row || a.number - b.number;

/** Runs of consecutive free seats in one row, in seating order. */
function runsOf(seats: readonly FreeSeat[]): FreeSeat[][] {
  const runs: FreeSeat[][] = [];
  let run: FreeSeat[] = [];
  for (const s of seats) {
    const last = run[run.length - 1];
    if (last && last.sectionRank === s.sectionRank && last.row === s.row && last.number + 1 === s.number) {
      run.push(s);
    } else {
      if (run.length) runs.push(run);
      run = [s];
    }
  }
  if (run.length) runs.push(run);
  return runs;
}

function distance(a: FreeSeat, b: FreeSeat): number {
  if (a.sectionRank !== b.sectionRank) return Number.MAX_SAFE_INTEGER / 4;
  return Math.abs(a.row - b.row) * ROW_WEIGHT + Math.abs(a.number - b.number);
}

/**
 * Best available: `quantity` adjacent seats in one row when any row has them (the best row,
 * i.e. first section, lowest row, then the middle of the run); otherwise the seats nearest to
 * each other, grown from the largest run. Returns fewer than `quantity` ids only when fewer
 * seats are free. Pure: the caller passes the free seats it read.
 */
export function chooseBestSeats(free: readonly FreeSeat[], quantity: number): string[] {
  if (quantity <= 0 || free.length === 0) return [];
  const seats = [...free].sort(byPlace);
  if (seats.length <= quantity) return seats.map((s) => s.id);
  const runs = runsOf(seats);
  const fitting = runs.find((r) => r.length >= quantity);
  if (fitting) {
    // Centre the block inside the run: it leaves usable runs on both sides.
    const start = Math.floor((fitting.length - quantity) / 2);
    return fitting.slice(start, start + quantity).map((s) => s.id);
  }
  // No row has room: start from the largest run (best place on ties) and add nearest seats.
  let seed = runs[0] as FreeSeat[];
  for (const r of runs) if (r.length > seed.length) seed = r;
  const chosen = [...seed];
  const taken = new Set(chosen.map((s) => s.id));
  // Distance of every seat to the nearest chosen one, updated as seats are added: O(n·quantity).
  const nearest = seats.map((s) => Math.min(...chosen.map((c) => distance(s, c))));
  while (chosen.length < quantity) {
    let bestIndex = -1;
    for (let i = 0; i < seats.length; i++) {
      if (taken.has((seats[i] as FreeSeat).id)) continue;
      if (bestIndex < 0 || (nearest[i] as number) < (nearest[bestIndex] as number)) bestIndex = i;
    }
    if (bestIndex < 0) break;
    const added = seats[bestIndex] as FreeSeat;
    chosen.push(added);
    taken.add(added.id);
    for (let i = 0; i < seats.length; i++) nearest[i] = Math.min(nearest[i] as number, distance(seats[i] as FreeSeat, added));
  }
  return chosen.sort(byPlace).map((s) => s.id);
}
