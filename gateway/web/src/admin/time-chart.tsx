import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface Series {
  label: string;
  colour: string;
  /** Dashed lines tell series apart without colour. */
  dash?: number[];
}

/**
 * A uPlot line chart over time: uPlot draws tens of thousands of points on a canvas in a few
 * milliseconds and takes new data without re-creating the chart, which a 1-second feed needs.
 */
export function TimeChart({ title, series, data }: { title: string; series: Series[]; data: uPlot.AlignedData }) {
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
        series: [{}, ...series.map((s) => ({ label: s.label, stroke: s.colour, width: 2, dash: s.dash }))],
        axes: [{}, { size: 50 }],
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
  }, [series.map((s) => s.label).join()]);

  useEffect(() => {
    plot.current?.setData(data);
  }, [data]);

  return (
    <figure className="chart" aria-label={`${title} chart; the figures are also listed in the tiles above`}>
      <figcaption>{title}</figcaption>
      <div ref={host} />
    </figure>
  );
}
