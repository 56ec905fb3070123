import type { SeatStatus } from '../contract/primitives.js';

/** Seat status as one byte per seat: the code is the index in this list. */
export const SEAT_STATUSES = ['available', 'held', 'sold'] as const satisfies readonly SeatStatus[];
const STATUS_CHARS = ['a', 'h', 's'] as const;
export type StatusChar = (typeof STATUS_CHARS)[number];

export function statusCode(status: SeatStatus): number {
  return status === 'available' ? 0 : status === 'held' ? 1 : 2;
}

export interface LayoutSeat {
  id: string;
  sectionIndex: number;
  row: number;
  number: number;
}

export interface LayoutSection {
  id: string;
  name: string;
  priceCents: number;
  position: number;
}

/** A change addressed by seat index, as the gateway applies it. */
export interface IndexedChange {
  index: number;
  status: number;
  version: number;
}

/**
 * One event's live seat state: one status byte and one version per seat index, plus running
 * counts per section, so subscribes, deltas and availability summaries never need Postgres.
 * A change applies only when its version is newer (pushes may arrive late or twice; versions
 * only grow, so the newest version always wins whatever the order).
 */
export function createEventSeatState(
  sections: readonly LayoutSection[],
  seats: readonly LayoutSeat[],
  statuses: Uint8Array,
  versions: Uint32Array,
) {
  const indexById = new Map<string, number>();
  const sectionOf = new Uint16Array(seats.length);
  const capacityBySection = new Array<number>(sections.length).fill(0);
  const availableBySection = new Array<number>(sections.length).fill(0);
  const counts = [0, 0, 0];
  let versionSum = 0;
  seats.forEach((s, i) => {
    indexById.set(s.id, i);
    sectionOf[i] = s.sectionIndex;
    capacityBySection[s.sectionIndex] = (capacityBySection[s.sectionIndex] ?? 0) + 1;
    if (statuses[i] === 0) availableBySection[s.sectionIndex] = (availableBySection[s.sectionIndex] ?? 0) + 1;
    counts[statuses[i] as number] = (counts[statuses[i] as number] ?? 0) + 1;
    versionSum += versions[i] as number;
  });

  return {
    capacity: seats.length,
    indexOf: (seatId: string): number | undefined => indexById.get(seatId),
    idAt: (index: number): string => (seats[index] as LayoutSeat).id,
    statusAt: (index: number): number => statuses[index] as number,
    versionAt: (index: number): number => versions[index] as number,
    /** Sum of all versions: equal to Postgres' sum exactly when no change is missing here. */
    versionSum: () => versionSum,
    counts: () => ({ available: counts[0] as number, held: counts[1] as number, sold: counts[2] as number }),
    sectionAvailability: () =>
      sections.map((s, i) => ({
        id: s.id,
        name: s.name,
        capacity: capacityBySection[i] as number,
        available: availableBySection[i] as number,
      })),
    /** Applies the newer ones; returns those that changed something, in the given order. */
    apply(changes: Iterable<IndexedChange>): IndexedChange[] {
      const applied: IndexedChange[] = [];
      for (const c of changes) {
        const old = versions[c.index];
        if (old === undefined || c.version <= old) continue;
        const before = statuses[c.index] as number;
        const section = sectionOf[c.index] as number;
        if (before === 0) availableBySection[section] = (availableBySection[section] as number) - 1;
        if (c.status === 0) availableBySection[section] = (availableBySection[section] as number) + 1;
        counts[before] = (counts[before] as number) - 1;
        counts[c.status] = (counts[c.status] as number) + 1;
        versionSum += c.version - old;
        statuses[c.index] = c.status;
        versions[c.index] = c.version;
        applied.push(c);
      }
      return applied;
    },
    /** The compact string: one character per seat index. */
    compactStatus(): string {
      let out = '';
      for (let i = 0; i < statuses.length; i++) out += STATUS_CHARS[statuses[i] as number];
      return out;
    },
    charOf: (code: number): StatusChar => STATUS_CHARS[code] as StatusChar,
  };
}

export type EventSeatState = ReturnType<typeof createEventSeatState>;
