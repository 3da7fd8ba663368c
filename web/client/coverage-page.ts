/** The coverage page: every indicator per county, prefecture or region against its target, and CSV download. */
import { isMessageKey } from '../i18n.js';
import { api } from './api.js';
import { readableCsv } from './coverage-csv.js';
import { byId, fill, h } from './dom.js';
import { fmtInteger, fmtNumber, fmtPercent, fmtTime } from './format.js';
import { t } from './locale.js';
import type { Session } from './session.js';

interface Indicator {
  value: number | null;
  numerator: number;
  denominator: number;
  target: number;
}
interface Row {
  id: string;
  name: string;
  ruralPopulation: number;
  indicators: Record<string, Indicator>;
}
interface Coverage {
  window: { from: string; to: string };
  rows: Row[];
}

/** CONTRACT §6 order; any indicator the server adds later is shown after these. */
const ORDER = [
  'tapWaterRate',
  'scaleCoverage',
  'integrationRate',
  'qualityCompliance',
  'monitoringOnline',
  'safeWaterCoverage',
  'standardizedCountyShare',
];
/** Within 5 percentage points of the target is "near": worth a different colour from far behind. */
const NEAR = 0.05;

export type Standing = 'meets' | 'near' | 'below' | 'none';

export function standing(ind: Indicator): Standing {
  if (ind.value === null) return 'none';
  if (ind.value >= ind.target) return 'meets';
  return ind.target - ind.value <= NEAR ? 'near' : 'below';
}

const SYMBOL: Record<Standing, string> = { meets: '✓', near: '▲', below: '✗', none: '—' };

export function startCoveragePage(_session: Session): void {
  const form = byId<HTMLFormElement>('coverage-controls');
  const table = byId('coverage-table');
  const summary = byId('coverage-summary');
  const period = byId('coverage-period');
  let generation = 0;

  const params = () => {
    const data = new FormData(form);
    return { groupBy: String(data.get('groupBy') ?? 'county'), window: String(data.get('window') ?? '24h') };
  };

  const load = async () => {
    const mine = ++generation;
    const p = params();
    fill(table, h('p', {}, t('page.loading')));
    try {
      const [cov, region] = await Promise.all([
        api<Coverage>(`/api/v1/coverage?${new URLSearchParams({ ...p, format: 'json' })}`),
        p.groupBy === 'region'
          ? null
          : api<Coverage>(
              `/api/v1/coverage?${new URLSearchParams({ groupBy: 'region', window: p.window, format: 'json' })}`,
            ),
      ]);
      if (mine !== generation) return;
      period.textContent = t('coverage.period', {
        from: fmtTime(cov.window.from),
        to: fmtTime(cov.window.to),
      });
      const share = (region ?? cov).rows[0]?.indicators.standardizedCountyShare;
      fill(
        summary,
        share
          ? h(
              'span',
              { class: `pill cell-${standing(share)}` },
              `${SYMBOL[standing(share)]} `,
              t('coverage.standardized', {
                value: share.value === null ? '—' : fmtPercent(share.value),
                target: fmtPercent(share.target),
              }),
            )
          : null,
      );
      fill(table, render(cov, p.groupBy));
    } catch (e) {
      if (mine === generation)
        fill(
          table,
          h(
            'p',
            { class: 'error' },
            t('page.loadFailed', { detail: e instanceof Error ? e.message : String(e) }),
          ),
        );
    }
  };

  const download = async () => {
    const p = params();
    const cov = await api<Coverage>(`/api/v1/coverage?${new URLSearchParams({ ...p, format: 'json' })}`);
    const names = [...ORDER.filter((n) => cov.rows.some((r) => n in r.indicators))];
    const blob = new Blob([readableCsv(cov.rows, names)], { type: 'text/csv;charset=utf-8' });
    const url = URL.createObjectURL(blob);
    const a = h('a', { href: url, download: `coverage-${p.groupBy}-${p.window}.csv`, hidden: true });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };

  form.addEventListener('submit', (e) => e.preventDefault());
  form.addEventListener('change', () => void load());
  byId('coverage-csv').addEventListener('click', () => {
    download().catch((e: unknown) => {
      summary.textContent = t('page.loadFailed', { detail: e instanceof Error ? e.message : String(e) });
    });
  });
  void load();
}

function render(cov: Coverage, groupBy: string): HTMLElement {
  const names = [
    ...ORDER.filter((n) => cov.rows.some((r) => n in r.indicators)),
    ...new Set(cov.rows.flatMap((r) => Object.keys(r.indicators)).filter((n) => !ORDER.includes(n))),
  ];
  const label = (n: string) => {
    const key = `indicator.${n}`;
    return isMessageKey(key) ? t(key) : n;
  };
  const level = isMessageKey(`group.${groupBy}`) ? t(`group.${groupBy}` as 'group.county') : groupBy;
  return h(
    'table',
    { class: 'coverage' },
    h('caption', { class: 'sr-only' }, t('coverage.caption', { level })),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col', class: 'sticky' }, t('coverage.name')),
        h('th', { scope: 'col', class: 'num' }, t('coverage.population')),
        names.map((n) => h('th', { scope: 'col', 'data-indicator': n }, label(n))),
      ),
    ),
    h(
      'tbody',
      {},
      cov.rows.map((r) =>
        h(
          'tr',
          { 'data-row': r.id },
          h('th', { scope: 'row', class: 'sticky' }, r.name),
          h('td', { class: 'num', 'data-label': t('coverage.population') }, fmtInteger(r.ruralPopulation)),
          names.map((n) => cell(r.indicators[n], n, label(n))),
        ),
      ),
    ),
  );
}

/** `data-label` names the column again, for the phone layout where each row becomes a card. */
function cell(ind: Indicator | undefined, name: string, label: string): HTMLElement {
  if (!ind) return h('td', { class: 'cell-none', 'data-indicator': name, 'data-label': label }, '—');
  const s = standing(ind);
  const words = {
    meets: t('coverage.meets'),
    near: t('coverage.near'),
    below: t('coverage.below'),
    none: t('coverage.noData'),
  }[s];
  return h(
    'td',
    {
      class: `cell cell-${s}`,
      'data-indicator': name,
      'data-standing': s,
      'data-label': label,
      title: `${fmtInteger(ind.numerator)} / ${fmtInteger(ind.denominator)}`,
    },
    h('span', { class: 'value' }, ind.value === null ? '—' : fmtPercent(ind.value)),
    h('span', { class: 'sr-only' }, ` ${words}`),
    h('span', { class: 'target' }, `${SYMBOL[s]} ${t('coverage.target')} ${fmtPercent(ind.target)}`),
    ind.value === null ? null : h('span', { class: 'gap' }, gapText(ind.value - ind.target)),
  );
}

/** The distance to the target in percentage points, in words rather than a bare sign. */
function gapText(diff: number): string {
  const n = fmtNumber(Math.abs(diff) * 100, 1);
  if (Math.abs(diff) < 0.0005) return '';
  return diff < 0 ? t('coverage.short', { n }) : t('coverage.over', { n });
}
