import type { SeatLayout } from './seat-map-store.js';

export interface SectionBox {
  name: string;
  top: number;
  rows: number;
  cols: number;
  /** Seat index at (row-1, number-1), -1 where the section has no seat. */
  cells: Int32Array;
}

export interface SeatGeometry {
  cell: number;
  width: number;
  height: number;
  left: number;
  labelHeight: number;
  boxes: SectionBox[];
}

/**
 * Sections stacked top to bottom, one cell per seat; the cell size fits the widest section into
 * the width (3 to `maxCell` CSS pixels, 22 unless zoomed), so 20,000 seats stay on a scrollable page.
 */
export function computeGeometry(layout: SeatLayout, width: number, maxCell = 22): SeatGeometry {
  const labelHeight = 22;
  const left = 8;
  const maxCols = Math.max(1, ...layout.sections.map((s) => s.cols));
  const cell = Math.max(3, Math.min(maxCell, Math.floor((width - 2 * left) / maxCols)));
  let top = 0;
  const boxes = layout.sections.map((s) => {
    const box: SectionBox = {
      name: s.name,
      top: top + labelHeight,
      rows: s.rows,
      cols: s.cols,
      cells: new Int32Array(s.rows * s.cols).fill(-1),
    };
    top += labelHeight + s.rows * cell + 12;
    return box;
  });
  for (let i = 0; i < layout.count; i++) {
    const box = boxes[layout.sectionOf[i]!]!;
    box.cells[(layout.rowOf[i]! - 1) * box.cols + (layout.numberOf[i]! - 1)] = i;
  }
  return { cell, width, height: Math.max(top, 40), left, labelHeight, boxes };
}

export function seatRect(g: SeatGeometry, layout: SeatLayout, index: number): { x: number; y: number; size: number } {
  const box = g.boxes[layout.sectionOf[index]!]!;
  return {
    x: g.left + (layout.numberOf[index]! - 1) * g.cell,
    y: box.top + (layout.rowOf[index]! - 1) * g.cell,
    size: g.cell,
  };
}

export function seatAt(g: SeatGeometry, x: number, y: number): number {
  for (const box of g.boxes) {
    if (y < box.top || y >= box.top + box.rows * g.cell) continue;
    const col = Math.floor((x - g.left) / g.cell);
    const row = Math.floor((y - box.top) / g.cell);
    if (col < 0 || col >= box.cols) return -1;
    return box.cells[row * box.cols + col] ?? -1;
  }
  return -1;
}

/** The seat next to `index` in a direction, skipping holes; stays put at an edge. */
export function neighbour(g: SeatGeometry, layout: SeatLayout, index: number, dRow: number, dCol: number): number {
  let si = layout.sectionOf[index]!;
  let row = layout.rowOf[index]! - 1;
  let col = layout.numberOf[index]! - 1;
  for (let step = 0; step < 10_000; step++) {
    row += dRow;
    col += dCol;
    const box = g.boxes[si]!;
    if (row < 0 || row >= box.rows) {
      // Up or down past a section edge continues in the next section.
      const next = si + (row < 0 ? -1 : 1);
      const nb = g.boxes[next];
      if (!nb) return index;
      si = next;
      row = row < 0 ? nb.rows - 1 : 0;
      col = Math.min(col, nb.cols - 1);
    }
    const b = g.boxes[si]!;
    if (col < 0 || col >= b.cols) return index;
    const found = b.cells[row * b.cols + col]!;
    if (found >= 0) return found;
  }
  return index;
}
