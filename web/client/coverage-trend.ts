/** The coverage page's trend: one indicator's daily value (from /coverage/history) against its 2027 target, with uPlot. */
import uPlot from 'uplot';
import { api } from './api.js';
import { byId, fill, h } from './dom.js';
import { fmtPercent } from './format.js';
import { locale, t } from './locale.js';

interface HistoryPoint {
  day: string;
  final: boolean;
  indicators: Record<string, { value: number | null; target: number }>;
}
interface History {
  series: { id: string; name: string; nameEn?: string; points: HistoryPoint[] }[];
}

const COLORS = { value: '#0b5cad', target: '#b00020' };
const dayShort = new Intl.DateTimeFormat(locale, { month: 'numeric', day: 'numeric', timeZone: 'UTC' });

/** A local date as the UTC midnight of that date: the axis shows dates, never shifted by the viewer's zone. */
const dayX = (day: string) => Date.parse(`${day}T00:00:00Z`) / 1000;

export function startCoverageTrend(year: number): void {
  const form = byId<HTMLFormElement>('trend-controls');
  const box = byId('trend-chart');
  let free = () => {};
  let generation = 0;

  const load = async () => {
    const mine = ++generation;
    const data = new FormData(form);
    const [level, id] = String(data.get('place') ?? 'region:').split(':') as [string, string];
    const indicator = String(data.get('indicator') ?? 'tapWaterRate');
    const to = new Date();
    const from = new Date(to.getTime() - 90 * 86_400_000);
    const q = new URLSearchParams({ groupBy: level, id, from: from.toISOString(), to: to.toISOString() });
    const hist = await api<History>(`/api/v1/coverage/history?${q}`);
    if (mine !== generation) return;
    free();
    const points = hist.series[0]?.points ?? [];
    if (points.length === 0) {
      free = () => {};
      fill(box, h('p', { class: 'muted' }, t('coverage.trendEmpty')));
      return;
    }
    const xs = points.map((p) => dayX(p.day));
    const values = points.map((p) => p.indicators[indicator]?.value ?? null);
    const target = points.at(-1)!.indicators[indicator]?.target ?? 0;
    const name = t(`indicator.${indicator}` as 'indicator.tapWaterRate');
    const opts: uPlot.Options = {
      width: Math.max(280, box.clientWidth),
      height: box.clientWidth < 500 ? 220 : 280,
      series: [
        { label: t('chart.time'), value: (_u, v) => (v == null ? '—' : dayShort.format(v * 1000)) },
        {
          label: name,
          stroke: COLORS.value,
          width: 2,
          spanGaps: false,
          value: (_u, v) => (v == null ? t('coverage.noData') : fmtPercent(v)),
        },
        {
          label: t('coverage.trendTarget', { year }),
          stroke: COLORS.target,
          width: 1.5,
          dash: [6, 4],
          points: { show: false },
          value: () => fmtPercent(target),
        },
      ],
      scales: {
        x: { time: true },
        y: {
          range: (_u, min, max) => [Math.min(min ?? 0, target) - 0.05, Math.max(max ?? 1, target) + 0.02],
        },
      },
      axes: [
        { values: (_u, splits) => splits.map((s) => dayShort.format(s * 1000)) },
        { size: 64, values: (_u, splits) => splits.map((v) => fmtPercent(v)) },
      ],
    };
    box.replaceChildren();
    box.setAttribute('role', 'img');
    const last = values.at(-1);
    box.setAttribute(
      'aria-label',
      `${name}: ${points[0]!.day} – ${points.at(-1)!.day}, ${last == null ? t('coverage.noData') : fmtPercent(last)} / ${fmtPercent(target)}`,
    );
    const plot = new uPlot(opts, [xs, values, xs.map(() => target)], box);
    box.dataset.points = String(points.length);
    free = () => plot.destroy();
  };

  form.addEventListener('change', () => void load().catch(show));
  void load().catch(show);

  function show(e: unknown) {
    fill(
      box,
      h(
        'p',
        { class: 'error' },
        t('page.loadFailed', { detail: e instanceof Error ? e.message : String(e) }),
      ),
    );
  }
}
