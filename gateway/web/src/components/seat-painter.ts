import { computeGeometry, type SeatGeometry, seatRect } from '../live/seat-geometry.js';
import { AVAILABLE, HELD, type SeatMapStore, SOLD } from '../live/seat-map-store.js';

/**
 * Seat states are told by shape as well as colour (WCAG 1.4.1): available = outlined box,
 * held = box with its lower-right half filled, sold = solid dark box with a cross,
 * selected or yours = solid blue box with a white dot.
 */
export const SEAT_COLOURS = {
  background: '#ffffff',
  availableFill: '#e8f5e9',
  availableLine: '#2e7d32',
  held: '#ef6c00',
  heldFill: '#ffe0b2',
  sold: '#616161',
  mine: '#1565c0',
  focus: '#d81b60',
  label: '#222222',
};

export interface PaintTiming {
  /** performance.now() when the first full paint finished, and how long the paint itself took. */
  firstPaintAt: number | null;
  firstPaintMs: number | null;
  /** Delta receive -> repaint done, milliseconds, most recent last. */
  repaints: number[];
}

declare global {
  interface Window {
    __eventlySeatMap?: PaintTiming & { seats: number; mode: string | null };
  }
}

/** Draws a SeatMapStore onto a canvas: everything on load or resize, only changed seats after. */
export class SeatPainter {
  geometry: SeatGeometry;
  private readonly ctx: CanvasRenderingContext2D;
  private dirty = new Set<number>();
  private full = true;
  private frame = 0;
  private pendingReceive: number[] = [];
  focus = -1;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly store: SeatMapStore,
    private readonly isMine: (index: number) => boolean,
    width: number,
    readonly timing: PaintTiming,
  ) {
    this.ctx = canvas.getContext('2d', { alpha: false })!;
    this.geometry = computeGeometry(store.layout, width);
    this.resize(width);
  }

  /** Redraws at `width` CSS pixels; a zoomed map passes a wider width and a larger `maxCell`. */
  resize(width: number, maxCell = 22) {
    this.geometry = computeGeometry(this.store.layout, width, maxCell);
    const dpr = window.devicePixelRatio || 1;
    this.canvas.width = Math.round(width * dpr);
    this.canvas.height = Math.round(this.geometry.height * dpr);
    this.canvas.style.width = `${width}px`;
    this.canvas.style.height = `${this.geometry.height}px`;
    this.ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    this.invalidate('all');
  }

  /** Queue seats (or everything) for the next animation frame; `receivedAt` starts a repaint timing. */
  invalidate(changed: number[] | 'all', receivedAt?: number) {
    if (changed === 'all') this.full = true;
    else for (const i of changed) this.dirty.add(i);
    if (receivedAt !== undefined) this.pendingReceive.push(receivedAt);
    if (!this.frame) this.frame = requestAnimationFrame(() => this.paint());
  }

  dispose() {
    cancelAnimationFrame(this.frame);
  }

  private paint() {
    this.frame = 0;
    const started = performance.now();
    if (this.full) this.paintAll();
    else for (const i of this.dirty) this.paintSeat(i, true);
    const done = performance.now();
    if (this.full && this.timing.firstPaintAt === null) {
      this.timing.firstPaintAt = done;
      this.timing.firstPaintMs = done - started;
    }
    for (const t of this.pendingReceive) this.timing.repaints.push(done - t);
    if (this.timing.repaints.length > 1000) this.timing.repaints.splice(0, 500);
    this.pendingReceive = [];
    this.full = false;
    this.dirty.clear();
  }

  private paintAll() {
    const { ctx, geometry: g } = this;
    ctx.fillStyle = SEAT_COLOURS.background;
    ctx.fillRect(0, 0, g.width, g.height);
    ctx.fillStyle = SEAT_COLOURS.label;
    ctx.font = '13px system-ui, sans-serif';
    ctx.textBaseline = 'bottom';
    const sections = this.store.layout.sections;
    g.boxes.forEach((b, i) => {
      const price = (sections[i]?.priceCents ?? 0) / 100;
      ctx.fillText(`${b.name} · $${price.toFixed(2)}`, g.left, b.top - 4);
    });
    for (let i = 0; i < this.store.layout.count; i++) this.paintSeat(i, false);
  }

  private paintSeat(index: number, clear: boolean) {
    const { ctx } = this;
    const { x, y, size } = seatRect(this.geometry, this.store.layout, index);
    if (clear) {
      ctx.fillStyle = SEAT_COLOURS.background;
      ctx.fillRect(x, y, size, size);
    }
    const gap = size >= 6 ? 1 : 0.5;
    const s = size - 2 * gap;
    const px = x + gap;
    const py = y + gap;
    const code = this.store.status[index];
    if (this.isMine(index)) {
      ctx.fillStyle = SEAT_COLOURS.mine;
      ctx.fillRect(px, py, s, s);
      if (s >= 5) {
        ctx.fillStyle = '#ffffff';
        ctx.beginPath();
        ctx.arc(px + s / 2, py + s / 2, Math.max(1, s / 5), 0, Math.PI * 2);
        ctx.fill();
      }
    } else if (code === AVAILABLE) {
      ctx.fillStyle = SEAT_COLOURS.availableFill;
      ctx.fillRect(px, py, s, s);
      ctx.strokeStyle = SEAT_COLOURS.availableLine;
      ctx.lineWidth = 1;
      ctx.strokeRect(px + 0.5, py + 0.5, s - 1, s - 1);
    } else if (code === HELD) {
      ctx.fillStyle = SEAT_COLOURS.heldFill;
      ctx.fillRect(px, py, s, s);
      ctx.fillStyle = SEAT_COLOURS.held;
      ctx.beginPath();
      ctx.moveTo(px + s, py);
      ctx.lineTo(px + s, py + s);
      ctx.lineTo(px, py + s);
      ctx.closePath();
      ctx.fill();
    } else if (code === SOLD) {
      ctx.fillStyle = SEAT_COLOURS.sold;
      ctx.fillRect(px, py, s, s);
      if (s >= 7) {
        ctx.strokeStyle = '#ffffff';
        ctx.lineWidth = 1.5;
        ctx.beginPath();
        ctx.moveTo(px + 2, py + 2);
        ctx.lineTo(px + s - 2, py + s - 2);
        ctx.moveTo(px + s - 2, py + 2);
        ctx.lineTo(px + 2, py + s - 2);
        ctx.stroke();
      }
    }
    if (index === this.focus) {
      ctx.strokeStyle = SEAT_COLOURS.focus;
      ctx.lineWidth = 2;
      ctx.strokeRect(x + 1, y + 1, size - 2, size - 2);
    }
  }
}
