import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface Series {
  label: string;
  colour: string;
  /** Dashed lines tell series apart without colour. */
  dash?: number[];
}

/** Tick steps in seconds: whole seconds and minutes for a live feed, whole days for reports. */
const CLOCK_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600];
const DAY_STEPS = [86_400, 2 * 86_400, 7 * 86_400, 14 * 86_400, 30 * 86_400];
const pad = (n: number) => String(n).padStart(2, '0');

/** "14:05:30" (local time) for a live axis, "7 Dec" for a daily one: never uPlot's ":08.500". */
export function tickLabel(seconds: number, unit: 'clock' | 'day'): string {
  const d = new Date(seconds * 1000);
  if (unit === 'day') return d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/**
 * A uPlot line chart over time: uPlot draws tens of thousands of points on a canvas in a few
 * milliseconds and takes new data without re-creating the chart, which a 1-second feed needs.
 */
export function TimeChart({
  title,
  series,
  data,
  unit = 'clock',
}: {
  title: string;
  series: Series[];
  data: uPlot.AlignedData;
  unit?: 'clock' | 'day';
}) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const latest = useRef(data);
  latest.current = data;

  // biome-ignore lint/correctness/useExhaustiveDependencies: the chart is built once per series set; data flows in below
  useEffect(() => {
    const el = host.current!;
    const p = new uPlot(
      {
        width: Math.max(300, el.clientWidth - 8),
        height: 200,
        series: [
          { value: (_u, v) => (v == null ? '' : tickLabel(v, unit)) },
          ...series.map((s) => ({ label: s.label, stroke: s.colour, width: 2, dash: s.dash })),
        ],
        axes: [
          {
            space: unit === 'day' ? 60 : 70,
            incrs: unit === 'day' ? DAY_STEPS : CLOCK_STEPS,
            values: (_u, ticks) => ticks.map((t) => tickLabel(t, unit)),
          },
          { size: 60 },
        ],
        scales: { x: { time: true } },
        legend: { live: false },
      },
      latest.current,
      el,
    );
    plot.current = p;
    const ro = new ResizeObserver(() => p.setSize({ width: Math.max(300, el.clientWidth - 8), height: 200 }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      p.destroy();
      plot.current = null;
    };
  }, [series.map((s) => s.label).join(), unit]);

  useEffect(() => {
    plot.current?.setData(data);
  }, [data]);

  return (
    <figure className="chart" aria-label={`${title} chart; the figures are also listed as text`}>
      <figcaption>{title}</figcaption>
      <div ref={host} data-testid="chart-host" />
    </figure>
  );
}
