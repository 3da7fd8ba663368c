/** Coverage against the targets: one row per county, prefecture or region, colour-coded, with CSV download. */
import { Layout, type PageProps } from '../layout.js';

export const COVERAGE_WINDOWS = ['24h', '7d', '30d'] as const;
const GROUPS = ['county', 'prefecture', 'region', 'scheme'] as const;
/** Indicators drawn on the trend chart, in CONTRACT §6 order. */
export const TREND_INDICATORS = [
  'tapWaterRate',
  'scaleCoverage',
  'integrationRate',
  'qualityCompliance',
  'labCompliance',
  'monitoringOnline',
  'safeWaterCoverage',
] as const;

export function CoveragePage(
  props: PageProps & { year: number; counties: { id: string; name: string }[]; region: string },
) {
  const { t } = props;
  const title = t('coverage.title', { year: props.year });
  return (
    <Layout {...props} page="coverage" title={title}>
      <div class="page-head">
        <h1>{title}</h1>
      </div>
      <form id="coverage-controls" class="filters">
        <label>
          {t('coverage.groupBy')}
          <select name="groupBy">
            {GROUPS.map((g) => (
              <option value={g}>{t(`group.${g}`)}</option>
            ))}
          </select>
        </label>
        <label>
          {t('coverage.window')}
          <select name="window">
            {COVERAGE_WINDOWS.map((w) => (
              <option value={w}>{t(`window.${w}`)}</option>
            ))}
          </select>
        </label>
        <label>
          {t('coverage.calendar')}
          <input type="month" name="period" />
        </label>
        <button id="coverage-csv" type="button">
          {t('coverage.download')}
        </button>
      </form>
      <p id="coverage-summary" class="summary" />
      <p id="coverage-period" class="muted" />
      <ul class="legend" aria-label={t('coverage.legend')}>
        <li class="cell-meets">✓ {t('coverage.meets')}</li>
        <li class="cell-near">▲ {t('coverage.near')}</li>
        <li class="cell-below">✗ {t('coverage.below')}</li>
        <li class="cell-none">— {t('coverage.noData')}</li>
      </ul>
      {/* On a phone every row is a tall card: jump to one instead of scrolling the whole region. */}
      <div class="coverage-jump">
        <label for="coverage-jump">{t('coverage.jump')}</label>
        <select id="coverage-jump">
          <option value="">{t('coverage.jumpPick')}</option>
        </select>
      </div>
      <section id="coverage-table" class="table-wrap" aria-label={title} tabindex={0}>
        <p>{t('page.loading')}</p>
      </section>
      <section id="coverage-trend" class="panel" aria-labelledby="trend-title">
        <h2 id="trend-title">{t('coverage.trend')}</h2>
        <form id="trend-controls" class="filters">
          <label>
            {t('coverage.trendPlace')}
            <select name="place">
              <option value={`region:${props.region}`}>{t('coverage.reportAll')}</option>
              {props.counties.map((c) => (
                <option value={`county:${c.id}`}>{c.name}</option>
              ))}
            </select>
          </label>
          <label>
            {t('coverage.trendIndicator')}
            <select name="indicator">
              {TREND_INDICATORS.map((n) => (
                <option value={n}>{t(`indicator.${n}`)}</option>
              ))}
            </select>
          </label>
        </form>
        <div id="trend-chart" class="chart" />
      </section>
      <section id="coverage-report" class="panel" aria-labelledby="report-title">
        <h2 id="report-title">{t('coverage.report')}</h2>
        <form id="report-controls" class="filters">
          <label>
            {t('coverage.reportMonth')}
            <input type="month" name="period" required />
          </label>
          <label>
            {t('coverage.reportCounty')}
            <select name="county">
              <option value="">{t('coverage.reportAll')}</option>
              {props.counties.map((c) => (
                <option value={c.id}>{c.name}</option>
              ))}
            </select>
          </label>
          <button id="report-xlsx" type="button">
            {t('coverage.reportXlsx')}
          </button>
          <button id="report-print" type="button">
            {t('coverage.reportPrint')}
          </button>
        </form>
      </section>
      <section id="samples-upload" class="panel" aria-labelledby="samples-title">
        <h2 id="samples-title">{t('samples.title')}</h2>
        <form id="samples-form" class="filters">
          <label>
            {t('samples.file')}
            <input type="file" name="file" accept=".csv,.xlsx" />
          </label>
          <button type="submit">{t('samples.upload')}</button>
        </form>
        <div id="samples-result" aria-live="polite" />
      </section>
    </Layout>
  );
}
