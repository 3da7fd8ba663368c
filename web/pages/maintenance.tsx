/** Maintenance windows: schedule one for a site, scheme or device of a county, list and end them. */
import { Layout, type PageProps } from '../layout.js';

export function MaintenancePage(props: PageProps) {
  const { t } = props;
  return (
    <Layout {...props} page="maintenance" title={t('maint.title')}>
      <div class="page-head">
        <h1>{t('maint.title')}</h1>
      </div>
      <p>{t('maint.intro')}</p>
      <form id="maint-form" class="maint-form card" aria-labelledby="maint-new">
        <h2 id="maint-new" class="sr-only">
          {t('maint.new')}
        </h2>
        <label>
          {t('maint.scope')}
          <select name="scope" id="maint-scope">
            <option value="site">{t('maint.scope.site')}</option>
            <option value="scheme">{t('maint.scope.scheme')}</option>
            <option value="device">{t('maint.scope.device')}</option>
          </select>
        </label>
        <label>
          {t('maint.target')}
          <input name="target" id="maint-target" required autocomplete="off" list="maint-targets" />
          <datalist id="maint-targets" />
        </label>
        <label>
          {t('maint.startsAt')}
          <input name="startsAt" id="maint-starts" type="datetime-local" />
        </label>
        <label>
          {t('maint.endsAt')}
          <input name="endsAt" id="maint-ends" type="datetime-local" required />
        </label>
        <label class="grow">
          {t('maint.reason')}
          <input name="reason" id="maint-reason" maxlength={500} />
        </label>
        <button type="submit" id="maint-create">
          {t('maint.create')}
        </button>
      </form>
      <p id="maint-status" role="status" />
      <table class="maint-table" id="maint-table">
        <thead>
          <tr>
            <th scope="col">{t('maint.scope')}</th>
            <th scope="col">{t('maint.target')}</th>
            <th scope="col">{t('maint.county')}</th>
            <th scope="col">{t('maint.startsAt')}</th>
            <th scope="col">{t('maint.endsAt')}</th>
            <th scope="col">{t('maint.reason')}</th>
            <th scope="col">{t('maint.createdBy')}</th>
            <th scope="col">
              <span class="sr-only">{t('maint.delete')}</span>
            </th>
          </tr>
        </thead>
        <tbody id="maint-rows" />
      </table>
    </Layout>
  );
}

export function InboxPage(props: PageProps) {
  const { t } = props;
  return (
    <Layout {...props} page="inbox" title={t('inbox.title')}>
      <div class="page-head">
        <h1>{t('inbox.title')}</h1>
        <p id="inbox-count" class="count" role="status" />
      </div>
      <p>{t('inbox.intro')}</p>
      <ol id="inbox-list" class="inbox-list" aria-live="polite" />
    </Layout>
  );
}
