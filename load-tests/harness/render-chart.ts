import { createCanvas, type SKRSContext2D } from '@napi-rs/canvas';
import type { TimelinePoint } from './summarize-run.js';

interface Series {
  label: string;
  color: string;
  values: (number | null)[];
  bars?: boolean;
  dashed?: boolean;
}

const W = 1000;
const PANEL_H = 320;
const M = { left: 70, right: 20, top: 40, bottom: 40 };

function niceMax(v: number): number {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  return ([1, 2, 5, 10].find((m) => m * p >= v) as number) * p;
}

function panel(g: SKRSContext2D, top: number, title: string, unit: string, seconds: number, series: Series[]): void {
  const x0 = M.left;
  const y0 = top + PANEL_H - M.bottom;
  const w = W - M.left - M.right;
  const h = PANEL_H - M.top - M.bottom;
  const max = niceMax(Math.max(0, ...series.flatMap((s) => s.values.filter((v): v is number => v !== null))));
  const x = (i: number) => x0 + (w * i) / Math.max(1, seconds);
  const y = (v: number) => y0 - (h * v) / max;
  g.fillStyle = '#222';
  g.font = 'bold 15px sans-serif';
  g.fillText(title, x0, top + 22);
  g.font = '11px sans-serif';
  g.strokeStyle = '#ddd';
  g.lineWidth = 1;
  for (let k = 0; k <= 4; k++) {
    const v = (max * k) / 4;
    g.beginPath();
    g.moveTo(x0, y(v));
    g.lineTo(x0 + w, y(v));
    g.stroke();
    g.fillStyle = '#555';
    g.fillText(`${Number(v.toPrecision(3))} ${unit}`, 4, y(v) + 4);
  }
  const step = Math.max(1, Math.ceil(seconds / 10));
  for (let s = 0; s <= seconds; s += step) g.fillText(`${s}s`, x(s) - 6, y0 + 16);
  let legendX = x0 + g.measureText(title).width * 1.4 + 30;
  for (const s of series) {
    g.fillStyle = s.color;
    g.strokeStyle = s.color;
    g.fillRect(legendX, top + 12, 14, 10);
    g.fillStyle = '#222';
    g.fillText(s.label, legendX + 18, top + 21);
    legendX += 30 + g.measureText(s.label).width;
    if (s.bars) {
      g.fillStyle = s.color;
      const bw = Math.max(1, w / Math.max(1, seconds) - 2);
      s.values.forEach((v, i) => {
        if (v) g.fillRect(x(i) + 1, y(v), bw, y0 - y(v));
      });
      continue;
    }
    g.strokeStyle = s.color;
    g.lineWidth = 2;
    g.setLineDash(s.dashed ? [6, 4] : []);
    g.beginPath();
    let drawing = false;
    s.values.forEach((v, i) => {
      if (v === null) {
        drawing = false;
        return;
      }
      if (drawing) g.lineTo(x(i + 0.5), y(v));
      else g.moveTo(x(i + 0.5), y(v));
      drawing = true;
    });
    g.stroke();
    g.setLineDash([]);
  }
  g.strokeStyle = '#333';
  g.lineWidth = 1;
  g.strokeRect(x0, y0 - h, w, h);
}

/** Two panels over the sale's seconds: hold ack latency, and admissions vs holds per second. */
export function renderChart(points: TimelinePoint[], configuredAdmitPerSecond: number): Buffer {
  const canvas = createCanvas(W, PANEL_H * 2);
  const g = canvas.getContext('2d');
  g.fillStyle = '#fff';
  g.fillRect(0, 0, W, PANEL_H * 2);
  const seconds = Math.max(1, points.length);
  panel(g, 0, 'seats:hold ack latency per second', 'ms', seconds, [
    { label: 'p50', color: '#1f77b4', values: points.map((p) => p.holdP50) },
    { label: 'p99', color: '#d62728', values: points.map((p) => p.holdP99) },
  ]);
  panel(g, PANEL_H, 'Admissions, holds and confirms per second', '/s', seconds, [
    { label: 'admitted', color: '#9ecae1', values: points.map((p) => p.admitted), bars: true },
    { label: 'holds ok', color: '#2ca02c', values: points.map((p) => p.holdsOk) },
    { label: 'confirms ok', color: '#9467bd', values: points.map((p) => p.confirmsOk) },
    { label: 'configured admission rate', color: '#ff7f0e', values: points.map(() => configuredAdmitPerSecond), dashed: true },
  ]);
  return canvas.toBuffer('image/png');
}
