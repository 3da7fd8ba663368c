/** Devices of one county by scheme and site: online state, last values with units, charts over a window. */
import { Layout, type PageProps } from '../layout.js';

export const CHART_WINDOWS = ['1h', '6h', '24h', '7d', '30d'] as const;

export function DevicesPage(props: PageProps) {
  const { t } = props;
  return (
    <Layout {...props} page="devices" title={t('devices.title')}>
      <div class="page-head">
        <h1>{t('devices.title')}</h1>
        <label class="inline">
          {t('devices.county')}
          <select id="device-county" />
        </label>
        <p id="device-summary" class="count" role="status">
          {t('page.loading')}
        </p>
      </div>
      <form class="filters" id="device-filters" aria-label={t('alerts.filters')}>
        <label class="grow">
          {t('devices.filter')}
          <input id="device-filter" type="search" autocomplete="off" />
        </label>
        <label class="inline check">
          <input id="device-offline" type="checkbox" />
          {t('devices.offlineOnly')}
        </label>
      </form>
      <section id="device-chart" class="card chart-panel" aria-labelledby="device-chart-title" hidden>
        <div class="chart-head">
          <h2 id="device-chart-title" tabindex={-1}>
            {t('devices.chart')}
          </h2>
          <label class="inline">
            {t('devices.metric')}
            <select id="chart-metric" />
          </label>
          <label class="inline">
            {t('devices.window')}
            <select id="chart-window">
              {CHART_WINDOWS.map((w) => (
                <option value={w} selected={w === '24h'}>
                  {t(`window.${w}`)}
                </option>
              ))}
            </select>
          </label>
          <button id="chart-close" type="button">
            {t('chart.close')}
          </button>
        </div>
        <div id="chart-area" class="chart-area" />
      </section>
      <div id="device-groups" class="device-groups" />
    </Layout>
  );
}
