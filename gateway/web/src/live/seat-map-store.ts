/**
 * The live seat map of one event, independent of React and the DOM (unit-tested in Node).
 * Seats live in typed arrays indexed by the event's stable seat index (the static layout), so a
 * 20,000-seat map is a few hundred kilobytes and a delta is an array write per seat.
 */

export const AVAILABLE = 0;
export const HELD = 1;
export const SOLD = 2;
export type SeatCode = typeof AVAILABLE | typeof HELD | typeof SOLD;
const CODE_OF: Record<string, SeatCode> = { a: AVAILABLE, h: HELD, s: SOLD, available: AVAILABLE, held: HELD, sold: SOLD };
export const STATUS_WORDS = ['available', 'held', 'sold'] as const;

export interface LayoutSeat {
  id: string;
  index: number;
  section: string;
  row: number;
  number: number;
  priceCents: number;
}

/** GET /api/events/:id/seats. */
export interface LayoutWire {
  eventId: string;
  layoutVersion: number;
  sections: { id: string; name: string; priceCents: number; position: number }[];
  seats: LayoutSeat[];
}

export interface FullSeat {
  id: string;
  section: string;
  row: number;
  number: number;
  priceCents: number;
  status: string;
  version: number;
}

export interface DeltaPush {
  eventId: string;
  seq: number;
  prevSeq: number;
  changes: [number, string][];
}

export interface ChangedPush {
  eventId: string;
  changes: { seatId: string; status: string; version: number }[];
}

export interface SeatLayout {
  eventId: string;
  sections: { name: string; priceCents: number; rows: number; cols: number }[];
  count: number;
  ids: string[];
  sectionOf: Uint16Array;
  rowOf: Uint16Array;
  numberOf: Uint16Array;
  priceOf: Int32Array;
  indexOf: Map<string, number>;
}

function buildLayout(eventId: string, sectionNames: string[], seats: LayoutSeat[]): SeatLayout {
  const count = seats.length;
  const sectionIndex = new Map(sectionNames.map((n, i) => [n, i]));
  const sections = sectionNames.map((name) => ({ name, priceCents: 0, rows: 0, cols: 0 }));
  const layout: SeatLayout = {
    eventId,
    sections,
    count,
    ids: new Array(count),
    sectionOf: new Uint16Array(count),
    rowOf: new Uint16Array(count),
    numberOf: new Uint16Array(count),
    priceOf: new Int32Array(count),
    indexOf: new Map(),
  };
  for (const s of seats) {
    let si = sectionIndex.get(s.section);
    if (si === undefined) {
      si = sections.length;
      sectionIndex.set(s.section, si);
      sections.push({ name: s.section, priceCents: 0, rows: 0, cols: 0 });
    }
    const sec = sections[si]!;
    sec.priceCents = s.priceCents;
    sec.rows = Math.max(sec.rows, s.row);
    sec.cols = Math.max(sec.cols, s.number);
    layout.ids[s.index] = s.id;
    layout.sectionOf[s.index] = si;
    layout.rowOf[s.index] = s.row;
    layout.numberOf[s.index] = s.number;
    layout.priceOf[s.index] = s.priceCents;
    layout.indexOf.set(s.id, s.index);
  }
  return layout;
}

export function layoutFromWire(wire: LayoutWire): SeatLayout {
  const names = [...wire.sections].sort((a, b) => a.position - b.position).map((s) => s.name);
  return buildLayout(wire.eventId, names, wire.seats);
}

/**
 * A v1 server has no layout endpoint: index the full seat list in a stable order of its own
 * (section order as the event lists them, then row, then number).
 */
export function layoutFromFullSeats(eventId: string, sectionOrder: string[], seats: FullSeat[]): SeatLayout {
  const rank = new Map(sectionOrder.map((n, i) => [n, i]));
  const sorted = [...seats].sort(
    (a, b) =>
      (rank.get(a.section) ?? 1e9) - (rank.get(b.section) ?? 1e9) ||
      a.section.localeCompare(b.section) ||
      a.row - b.row ||
      a.number - b.number,
  );
  return buildLayout(
    eventId,
    sectionOrder,
    sorted.map((s, index) => ({ ...s, index })),
  );
}

export type DeltaOutcome = 'applied' | 'stale' | 'gap';
/** Changed seat indices, or 'all' after a (re)load. */
export type ChangeListener = (changed: number[] | 'all') => void;

export class SeatMapStore {
  readonly status: Uint8Array;
  /** v1 per-seat versions (full mode); -1 = nothing known yet. */
  readonly versions: Int32Array;
  /** Seat-change sequence of the last applied snapshot or delta; null in full mode / before loading. */
  seq: number | null = null;
  loaded = false;
  private readonly listeners = new Set<ChangeListener>();

  constructor(readonly layout: SeatLayout) {
    this.status = new Uint8Array(layout.count);
    this.versions = new Int32Array(layout.count).fill(-1);
  }

  onChange(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(changed: number[] | 'all') {
    for (const l of this.listeners) l(changed);
  }

  /** A compact snapshot: one character per seat index. */
  loadCompact(seq: number, status: string) {
    const n = Math.min(status.length, this.status.length);
    for (let i = 0; i < n; i++) this.status[i] = CODE_OF[status[i]!] ?? SOLD;
    this.seq = seq;
    this.loaded = true;
    this.emit('all');
  }

  /** A v1 snapshot; versions decide against pushes that raced it. */
  loadFull(seats: FullSeat[]) {
    for (const s of seats) {
      const i = this.layout.indexOf.get(s.id);
      if (i === undefined || s.version < this.versions[i]!) continue;
      this.status[i] = CODE_OF[s.status] ?? SOLD;
      this.versions[i] = s.version;
    }
    this.seq = null;
    this.loaded = true;
    this.emit('all');
  }

  /**
   * A delta applies only on top of exactly the state it was computed from (`prevSeq`).
   * Older ones are already contained in what we have; a newer `prevSeq` means we missed one.
   */
  applyDelta(push: DeltaPush): DeltaOutcome {
    if (this.seq === null || push.seq <= this.seq) return 'stale';
    if (push.prevSeq !== this.seq) return 'gap';
    const changed: number[] = [];
    for (const [index, code] of push.changes) {
      if (index < 0 || index >= this.status.length) continue;
      this.status[index] = CODE_OF[code] ?? SOLD;
      changed.push(index);
    }
    this.seq = push.seq;
    this.emit(changed);
    return 'applied';
  }

  /** A v1 push: per seat, only when newer than what we have. */
  applyChanged(push: ChangedPush): number[] {
    const changed: number[] = [];
    for (const c of push.changes) {
      const i = this.layout.indexOf.get(c.seatId);
      if (i === undefined || c.version <= this.versions[i]!) continue;
      this.status[i] = CODE_OF[c.status] ?? SOLD;
      this.versions[i] = c.version;
      changed.push(i);
    }
    if (changed.length > 0) this.emit(changed);
    return changed;
  }

  counts(): { available: number; held: number; sold: number } {
    const c = [0, 0, 0];
    for (let i = 0; i < this.status.length; i++) c[this.status[i]!]! += 1;
    return { available: c[0]!, held: c[1]!, sold: c[2]! };
  }
}
