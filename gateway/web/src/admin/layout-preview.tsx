import { useEffect, useRef } from 'react';
import type { SectionDraft } from './layout-builder.js';

const COLOURS = ['#1565c0', '#2e7d32', '#6a1b9a', '#ef6c00', '#00838f', '#ad1457', '#5d4037', '#455a64'];

/**
 * The map a buyer will see, drawn from the draft: sections stacked from the stage down, one
 * square per seat (a canvas: 50,000 seats draw in milliseconds). The figures are in the table.
 */
export function LayoutPreview({ sections }: { sections: SectionDraft[] }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const c = canvas.current;
    const ctx = c?.getContext('2d');
    if (!c || !ctx) return;
    const width = c.clientWidth || 480;
    const valid = sections.map((s) => ({
      name: s.name,
      rows: Math.min(200, Math.max(0, Math.floor(Number(s.rows) || 0))),
      perRow: Math.min(200, Math.max(0, Math.floor(Number(s.seatsPerRow) || 0))),
    }));
    const widest = Math.max(1, ...valid.map((s) => s.perRow));
    const cell = Math.max(1, Math.min(12, Math.floor((width - 20) / widest)));
    const gap = 18;
    const height = 30 + valid.reduce((h, s) => h + s.rows * cell + gap, 0);
    const dpr = window.devicePixelRatio || 1;
    c.width = width * dpr;
    c.height = Math.min(4000, height) * dpr;
    c.style.height = `${Math.min(4000, height)}px`;
    ctx.scale(dpr, dpr);
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, width, height);
    ctx.fillStyle = '#14213d';
    ctx.fillRect(width / 2 - 80, 4, 160, 16);
    ctx.fillStyle = '#fff';
    ctx.font = '11px system-ui, sans-serif';
    ctx.textAlign = 'center';
    ctx.fillText('STAGE', width / 2, 16);
    let y = 30;
    valid.forEach((s, i) => {
      ctx.fillStyle = '#5b5b66';
      ctx.textAlign = 'left';
      ctx.fillText(s.name, 4, y + 10);
      y += 14;
      const left = (width - s.perRow * cell) / 2;
      ctx.fillStyle = COLOURS[i % COLOURS.length]!;
      const size = cell > 3 ? cell - 1 : cell;
      for (let r = 0; r < s.rows; r++) for (let n = 0; n < s.perRow; n++) ctx.fillRect(left + n * cell, y + r * cell, size, size);
      y += s.rows * cell + 4;
    });
  }, [sections]);
  return (
    <figure className="layout-preview">
      <figcaption>Map preview</figcaption>
      <canvas
        ref={canvas}
        role="img"
        aria-label="Preview of the seat map: sections from the stage down"
        data-testid="layout-preview"
      />
    </figure>
  );
}
