/** Time-series charts with uPlot (bundled, no CDN): mean line, min–max band, limit lines, an alert marker. */
import uPlot from 'uplot';
import { fill, h } from './dom.js';
import { fmtNumber, fmtTime, fmtValue, metricName, unitOf } from './format.js';
import { locale, t } from './locale.js';

export interface Point {
  ts: string;
  mean: number;
  min: number;
  max: number;
  count: number;
}

export interface ChartInput {
  metric: string;
  points: Point[];
  from: number;
  to: number;
  /** Horizontal lines: the rule's limits. */
  limits?: number[];
  /** A vertical line, epoch ms: when the alert was raised. */
  marker?: number;
  /** Pixels; default 280 on wide screens, 220 on narrow ones. */
  height?: number;
}

/** About 240 buckets whatever the window: enough for a phone or a desktop, few enough to draw at once. */
const STEPS_S = [10, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21_600, 43_200, 86_400];
export function everyFor(windowMs: number): string {
  const want = windowMs / 1000 / 240;
  const step = STEPS_S.find((s) => s >= want) ?? 86_400;
  return step % 86_400 === 0
    ? `${step / 86_400}d`
    : step % 3600 === 0
      ? `${step / 3600}h`
      : step % 60 === 0
        ? `${step / 60}m`
        : `${step}s`;
}

const COLORS = {
  mean: '#0b5cad',
  band: 'rgba(11, 92, 173, 0.16)',
  edge: 'rgba(11, 92, 173, 0.45)',
  limit: '#b00020',
  marker: '#8a4b00',
};

const timeShort = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' });
const dayShort = new Intl.DateTimeFormat(locale, { month: 'numeric', day: 'numeric' });

/** Draws into `container` (replacing what is there); returns a function that frees the chart. */
export function renderChart(container: HTMLElement, input: ChartInput): () => void {
  const { metric, points } = input;
  const label = `${metricName(metric)}${unitOf(metric) && unitOf(metric) !== 'pH' ? ` (${unitOf(metric)})` : ''}`;
  if (points.length === 0) {
    fill(container, h('p', { class: 'muted' }, t('chart.noData')));
    return () => {};
  }
  const xs = points.map((p) => Date.parse(p.ts) / 1000);
  const bucketed = points.some((p) => p.count > 1);
  const limits = input.limits ?? [];
  const data: uPlot.AlignedData = [
    xs,
    points.map((p) => p.mean),
    ...(bucketed ? [points.map((p) => p.min), points.map((p) => p.max)] : []),
    ...limits.map((l) => xs.map(() => l)),
  ];
  const series: uPlot.Series[] = [
    { label: t('chart.time'), value: (_u, v) => (v == null ? '—' : fmtTime(v * 1000)) },
    {
      label: t('chart.mean'),
      stroke: COLORS.mean,
      width: 2,
      value: (_u, v) => (v == null ? '—' : fmtValue(metric, v)),
    },
    ...(bucketed
      ? [
          {
            label: t('chart.min'),
            stroke: COLORS.edge,
            width: 1,
            value: (_u: uPlot, v: number | null) => (v == null ? '—' : fmtValue(metric, v)),
          },
          {
            label: t('chart.max'),
            stroke: COLORS.edge,
            width: 1,
            value: (_u: uPlot, v: number | null) => (v == null ? '—' : fmtValue(metric, v)),
          },
        ]
      : []),
    ...limits.map((l) => ({
      label: `${t('chart.limit')} ${fmtValue(metric, l)}`,
      stroke: COLORS.limit,
      width: 1.5,
      dash: [6, 4],
      points: { show: false },
      value: () => fmtValue(metric, l),
    })),
  ];
  const spanS = input.to / 1000 - input.from / 1000;
  const marker = input.marker;
  const opts: uPlot.Options = {
    width: Math.max(280, container.clientWidth),
    height: input.height ?? (container.clientWidth < 500 ? 220 : 280),
    series,
    bands: bucketed ? [{ series: [3, 2], fill: COLORS.band }] : [],
    scales: { x: { time: true, min: input.from / 1000, max: input.to / 1000 } },
    axes: [
      {
        values: (_u, splits) =>
          splits.map((s) => (spanS > 2 * 86_400 ? dayShort : timeShort).format(s * 1000)),
      },
      { label, size: 64, values: (_u, splits) => splits.map((v) => fmtNumber(v, 3)) },
    ],
    legend: { live: true },
    hooks: {
      draw: [
        (u) => {
          if (marker === undefined) return;
          const x = u.valToPos(marker / 1000, 'x', true);
          const { ctx } = u;
          ctx.save();
          ctx.strokeStyle = COLORS.marker;
          ctx.lineWidth = 2;
          ctx.setLineDash([3, 3]);
          ctx.beginPath();
          ctx.moveTo(x, u.bbox.top);
          ctx.lineTo(x, u.bbox.top + u.bbox.height);
          ctx.stroke();
          ctx.restore();
        },
      ],
    },
  };
  container.replaceChildren();
  const values = points.map((p) => p.mean);
  // Screen readers get the gist in words; the canvas itself says nothing to them.
  container.setAttribute('role', 'img');
  container.setAttribute(
    'aria-label',
    `${label}: ${fmtTime(points[0]!.ts)} – ${fmtTime(points.at(-1)!.ts)}, ${t('chart.min')} ${fmtValue(metric, Math.min(...values))}, ${t('chart.max')} ${fmtValue(metric, Math.max(...values))}`,
  );
  const plot = new uPlot(opts, data, container);
  const resize = new ResizeObserver(() => {
    const width = Math.max(280, container.clientWidth);
    if (Math.abs(width - plot.width) > 4) plot.setSize({ width, height: plot.height });
  });
  resize.observe(container);
  return () => {
    resize.disconnect();
    plot.destroy();
  };
}
