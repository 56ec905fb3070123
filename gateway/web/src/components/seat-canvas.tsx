import { type KeyboardEvent, type MouseEvent, type TouchEvent, useEffect, useRef, useState } from 'react';
import { formatCents } from '../api/error-words.js';
import { neighbour, seatAt } from '../live/seat-geometry.js';
import { type SeatMapStore, STATUS_WORDS } from '../live/seat-map-store.js';
import { SeatPainter } from './seat-painter.js';

export interface SeatCanvasProps {
  store: SeatMapStore;
  isMine: (index: number) => boolean;
  /** Bumped by the parent when selection or ownership changed: repaint those seats. */
  changedMine: number[];
  onToggle: (index: number) => void;
  onDeltaTiming?: (register: (receivedAt: number) => void) => void;
}

function describe(store: SeatMapStore, index: number, mine: boolean): string {
  const l = store.layout;
  const section = l.sections[l.sectionOf[index]!]?.name ?? '';
  const state = mine ? 'selected by you' : STATUS_WORDS[store.status[index] as 0 | 1 | 2];
  return `Section ${section}, row ${l.rowOf[index]}, seat ${l.numberOf[index]}, ${formatCents(l.priceOf[index]!)}, ${state}`;
}

/**
 * The seat map on one canvas (smooth at 20,000 seats: only changed seats are repainted), usable
 * by keyboard: arrows move a focus ring, Enter or Space selects, Page Up/Down jump sections; the
 * focused seat is read out through a live region since a canvas has no accessible content.
 */
export function SeatCanvas({ store, isMine, changedMine, onToggle, onDeltaTiming }: SeatCanvasProps) {
  const wrap = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const painter = useRef<SeatPainter | null>(null);
  const mineRef = useRef(isMine);
  mineRef.current = isMine;
  const [spoken, setSpoken] = useState('');
  // Zoom (1 to 4 times the width that fits): on a phone a 350-seat map fits as 8 px squares;
  // zoomed, the canvas grows past its box, which scrolls (pans) under a finger, and seats grow
  // to tappable size. Pinch with two fingers, or the buttons.
  const [zoom, setZoom] = useState(1);
  const zoomRef = useRef(1);
  const baseWidth = useRef(0);
  const pinch = useRef<{ distance: number; zoom: number } | null>(null);

  useEffect(() => {
    const el = wrap.current!;
    if (!window.__eventlySeatMap)
      window.__eventlySeatMap = { firstPaintAt: null, firstPaintMs: null, repaints: [], seats: 0, mode: null };
    const timing = window.__eventlySeatMap;
    timing.seats = store.layout.count;
    const p = new SeatPainter(canvas.current!, store, (i) => mineRef.current(i), el.clientWidth || 800, timing);
    painter.current = p;
    const off = store.onChange((changed) => p.invalidate(changed));
    onDeltaTiming?.((receivedAt) => p.invalidate([], receivedAt));
    let lastWidth = el.clientWidth;
    baseWidth.current = lastWidth || 800;
    if (zoomRef.current !== 1) p.resize(baseWidth.current * zoomRef.current, 22 * zoomRef.current);
    const ro = new ResizeObserver(() => {
      if (el.clientWidth !== lastWidth && el.clientWidth > 0) {
        lastWidth = el.clientWidth;
        baseWidth.current = lastWidth;
        p.resize(lastWidth * zoomRef.current, 22 * zoomRef.current);
      }
    });
    ro.observe(el);
    return () => {
      off();
      ro.disconnect();
      p.dispose();
      painter.current = null;
    };
  }, [store, onDeltaTiming]);

  useEffect(() => {
    if (changedMine.length) painter.current?.invalidate(changedMine);
  }, [changedMine]);

  const applyZoom = (next: number) => {
    const z = Math.min(4, Math.max(1, Math.round(next * 4) / 4));
    if (z === zoomRef.current) return;
    const el = wrap.current;
    // Keep the point in the middle of the box where it was.
    const cx = el ? (el.scrollLeft + el.clientWidth / 2) / zoomRef.current : 0;
    const cy = el ? (el.scrollTop + el.clientHeight / 2) / zoomRef.current : 0;
    zoomRef.current = z;
    setZoom(z);
    painter.current?.resize(baseWidth.current * z, 22 * z);
    if (el) {
      el.scrollLeft = cx * z - el.clientWidth / 2;
      el.scrollTop = cy * z - el.clientHeight / 2;
    }
  };

  const fingersApart = (e: TouchEvent) => {
    const [a, b] = [e.touches[0], e.touches[1]];
    return a && b ? Math.hypot(a.clientX - b.clientX, a.clientY - b.clientY) : 0;
  };
  const onTouchStart = (e: TouchEvent) => {
    pinch.current = e.touches.length === 2 ? { distance: fingersApart(e), zoom: zoomRef.current } : null;
  };
  const onTouchMove = (e: TouchEvent) => {
    const start = pinch.current;
    if (!start || e.touches.length !== 2 || start.distance === 0) return;
    applyZoom(start.zoom * (fingersApart(e) / start.distance));
  };
  const onTouchEnd = () => {
    pinch.current = null;
  };

  const moveFocus = (next: number) => {
    const p = painter.current;
    if (!p || next < 0) return;
    const prev = p.focus;
    p.focus = next;
    p.invalidate(prev >= 0 ? [prev, next] : [next]);
    setSpoken(describe(store, next, isMine(next)));
  };

  const onKeyDown = (e: KeyboardEvent) => {
    const p = painter.current;
    if (!p) return;
    const g = p.geometry;
    const at = p.focus >= 0 ? p.focus : 0;
    const moves: Record<string, [number, number]> = {
      ArrowUp: [-1, 0],
      ArrowDown: [1, 0],
      ArrowLeft: [0, -1],
      ArrowRight: [0, 1],
    };
    const move = moves[e.key];
    if (move) {
      e.preventDefault();
      moveFocus(p.focus < 0 ? 0 : neighbour(g, store.layout, at, move[0], move[1]));
    } else if (e.key === 'PageDown' || e.key === 'PageUp') {
      e.preventDefault();
      const si = store.layout.sectionOf[at]! + (e.key === 'PageDown' ? 1 : -1);
      const box = g.boxes[si];
      const first = box ? Array.from(box.cells).find((c) => c >= 0) : undefined;
      if (first !== undefined) moveFocus(first);
    } else if ((e.key === 'Enter' || e.key === ' ') && p.focus >= 0) {
      e.preventDefault();
      onToggle(p.focus);
      setSpoken(describe(store, p.focus, !isMine(p.focus)));
    }
  };

  const onClick = (e: MouseEvent<HTMLDivElement>) => {
    const p = painter.current;
    if (!p || !canvas.current) return;
    const r = canvas.current.getBoundingClientRect();
    const index = seatAt(p.geometry, e.clientX - r.left, e.clientY - r.top);
    if (index < 0) return;
    moveFocus(index);
    onToggle(index);
  };

  return (
    <div className="seat-map">
      <fieldset className="zoom row">
        <legend className="sr-only">Zoom the seat map</legend>
        <button
          type="button"
          className="secondary"
          onClick={() => applyZoom(zoomRef.current - 0.5)}
          disabled={zoom <= 1}
          data-testid="zoom-out"
        >
          −<span className="sr-only"> Zoom out</span>
        </button>
        <span data-testid="zoom-level">{Math.round(zoom * 100)}%</span>
        <button
          type="button"
          className="secondary"
          onClick={() => applyZoom(zoomRef.current + 0.5)}
          disabled={zoom >= 4}
          data-testid="zoom-in"
        >
          +<span className="sr-only"> Zoom in</span>
        </button>
      </fieldset>
      <div
        ref={wrap}
        className="seat-map-canvas"
        role="application"
        // biome-ignore lint/a11y/noNoninteractiveTabindex: role application: the map takes arrow keys itself
        tabIndex={0}
        aria-label="Seat map. Arrow keys move between seats, Enter or Space selects or unselects, Page Up and Page Down change section."
        aria-describedby="seat-legend"
        onKeyDown={onKeyDown}
        onClick={onClick}
        onTouchStart={onTouchStart}
        onTouchMove={onTouchMove}
        onTouchEnd={onTouchEnd}
        data-testid="seat-map"
      >
        <canvas ref={canvas} />
      </div>
      <p className="sr-only" aria-live="polite" data-testid="seat-focus">
        {spoken}
      </p>
    </div>
  );
}

export function SeatLegend() {
  return (
    <ul className="legend" id="seat-legend" aria-label="Legend">
      <li>
        <span className="swatch available" aria-hidden="true" /> Available (outlined)
      </li>
      <li>
        <span className="swatch held" aria-hidden="true" /> Held by someone (half filled)
      </li>
      <li>
        <span className="swatch sold" aria-hidden="true" /> Sold (crossed)
      </li>
      <li>
        <span className="swatch mine" aria-hidden="true" /> Yours (dot)
      </li>
    </ul>
  );
}
