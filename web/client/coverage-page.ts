/** The coverage page: every indicator per county, prefecture or region against its target, and CSV download. */
import { isMessageKey } from '../i18n.js';
import { api } from './api.js';
import { readableCsv } from './coverage-csv.js';
import { startCoverageReport } from './coverage-report.js';
import { startCoverageTrend } from './coverage-trend.js';
import { byId, fill, h } from './dom.js';
import { fmtInteger, fmtNumber, fmtPercent, fmtTime } from './format.js';
import { locale, t } from './locale.js';
import { startSamplesUpload } from './samples-upload.js';
import type { Session } from './session.js';

interface Indicator {
  value: number | null;
  numerator: number;
  denominator: number;
  target: number;
  /** Why value is null: `no-quality-data` reads "no quality data", never 0 %. */
  reason?: string;
}
interface Row {
  id: string;
  name: string;
  nameEn?: string;
  ruralPopulation: number;
  indicators: Record<string, Indicator>;
  /** County rows: whether this county meets every target. */
  meetsTargets?: boolean;
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
  'labCompliance',
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

  const params = (): Record<string, string> => {
    const data = new FormData(form);
    const groupBy = String(data.get('groupBy') ?? 'county');
    // A calendar month, when chosen, takes the place of the sliding window.
    const month = String(data.get('period') ?? '');
    return month ? { groupBy, period: month } : { groupBy, window: String(data.get('window') ?? '24h') };
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
              `/api/v1/coverage?${new URLSearchParams({ ...p, groupBy: 'region', format: 'json' })}`,
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
      fill(table, render(cov, p.groupBy ?? 'county'));
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
    // The page's CSV is for people (Chinese headers, percentages); the API's stays machine-friendly.
    const cov = await api<Coverage>(`/api/v1/coverage?${new URLSearchParams({ ...p, format: 'json' })}`);
    const names = [...ORDER.filter((n) => cov.rows.some((r) => n in r.indicators))];
    const blob = new Blob([readableCsv(cov.rows, names)], { type: 'text/csv;charset=utf-8' });
    const url = URL.createObjectURL(blob);
    const a = h('a', {
      href: url,
      download: `coverage-${p.groupBy}-${p.period ?? p.window ?? ''}.csv`,
      hidden: true,
    });
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
  startCoverageTrend(Number(document.querySelector('h1')?.textContent?.match(/\d{4}/)?.[0] ?? 2027));
  startCoverageReport();
  startSamplesUpload();
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
          h('th', { scope: 'row', class: 'sticky' }, locale === 'en' ? (r.nameEn ?? r.name) : r.name),
          h('td', { class: 'num', 'data-label': t('coverage.population') }, fmtInteger(r.ruralPopulation)),
          names.map((n) =>
            n === 'standardizedCountyShare' && r.meetsTargets !== undefined
              ? countyStanding(r.meetsTargets, label(n))
              : cell(r.indicators[n], n, label(n)),
          ),
        ),
      ),
    ),
  );
}

/** A county row's own standing: whether it meets every target, not a share of one county (0 % or 100 %). */
function countyStanding(meets: boolean, label: string): HTMLElement {
  const s: Standing = meets ? 'meets' : 'below';
  return h(
    'td',
    {
      class: `cell cell-${s}`,
      'data-indicator': 'standardizedCountyShare',
      'data-standing': s,
      'data-label': label,
    },
    h(
      'span',
      { class: 'value' },
      `${SYMBOL[s]} ${meets ? t('coverage.countyMeets') : t('coverage.countyFails')}`,
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
    h(
      'span',
      { class: 'value' },
      ind.value !== null
        ? fmtPercent(ind.value)
        : ind.reason === 'no-quality-data'
          ? t('coverage.noQualityData')
          : '—',
    ),
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
