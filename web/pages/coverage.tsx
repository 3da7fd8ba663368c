/** Coverage against the targets: one row per county, prefecture or region, colour-coded, with CSV download. */
import { Layout, type PageProps } from '../layout.js';

export const COVERAGE_WINDOWS = ['24h', '7d', '30d'] as const;
const GROUPS = ['county', 'prefecture', 'region'] as const;

export function CoveragePage(props: PageProps & { year: number }) {
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
    </Layout>
  );
}
