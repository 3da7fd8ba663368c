/** Scheme schematics: each scheme's sites from source to tap, drawn from the registry, with live state and alerts. */
import { Layout, type PageProps } from '../layout.js';

export function SchemesPage(props: PageProps) {
  const { t } = props;
  return (
    <Layout {...props} page="schemes" title={t('schemes.title')}>
      <div class="page-head">
        <h1>{t('schemes.title')}</h1>
        <label class="inline">
          {t('devices.county')}
          <select id="schematic-county" />
        </label>
        <label class="inline">
          {t('schemes.scheme')}
          <select id="schematic-scheme">
            <option value="">{t('schemes.all')}</option>
          </select>
        </label>
        <p id="schematic-summary" class="count" role="status">
          {t('page.loading')}
        </p>
      </div>
      <ul class="legend" aria-label={t('coverage.legend')}>
        <li class="node-ok">● {t('schemes.ok')}</li>
        <li class="node-warning">▲ {t('severity.warning')}</li>
        <li class="node-critical">⚠ {t('severity.critical')}</li>
        <li class="node-offline">○ {t('devices.offline')}</li>
        <li class="node-none">□ {t('schemes.unmonitored')}</li>
      </ul>
      <div id="schematics" class="schematics" />
    </Layout>
  );
}
