/** The alert board: live active alerts of the key's counties, filters, detail with history and chart. */
import { Layout, type PageProps } from '../layout.js';

export function AlertsPage(props: PageProps) {
  const { t } = props;
  return (
    <Layout {...props} page="alerts" title={t('alerts.title')}>
      <div class="page-head">
        <h1>{t('alerts.title')}</h1>
        <p id="stream-status" class="stream-status" role="status" data-state="connecting">
          {t('alerts.stream.connecting')}
        </p>
        <button id="sound-toggle" type="button" aria-pressed="false">
          {t('alerts.sound.off')}
        </button>
        <button id="push-toggle" type="button" aria-pressed="false" hidden>
          {t('push.off')}
        </button>
        <p id="push-note" class="error" role="status" />
      </div>
      <div id="cue" class="cue" role="alert" hidden>
        <span id="cue-text" />
        <button id="cue-dismiss" type="button">
          {t('alerts.cueDismiss')}
        </button>
      </div>
      {/* Folded on a phone so the first alert is on the first screen; the client opens it on a desk. */}
      <details id="filters-fold" class="filters-fold">
        <summary>
          {t('alerts.filters')} <span id="filters-active" class="filters-active" />
        </summary>
        <form id="alert-filters" class="filters" aria-label={t('alerts.filters')}>
          <label>
            {t('filter.status')}
            <select name="status">
              <option value="active">{t('filter.active')}</option>
              <option value="recent">{t('filter.recent')}</option>
            </select>
          </label>
          <label>
            {t('filter.severity')}
            <select name="severity">
              <option value="">{t('filter.all')}</option>
              <option value="critical">{t('severity.critical')}</option>
              <option value="warning">{t('severity.warning')}</option>
            </select>
          </label>
          <label>
            {t('filter.ack')}
            <select name="ack">
              <option value="">{t('filter.all')}</option>
              <option value="no">{t('filter.unacked')}</option>
              <option value="yes">{t('filter.acked')}</option>
            </select>
          </label>
          <label>
            {t('filter.county')}
            <select name="county">
              <option value="">{t('filter.all')}</option>
            </select>
          </label>
          <label class="grow">
            {t('filter.search')}
            <input name="q" type="search" autocomplete="off" />
          </label>
        </form>
      </details>
      <div class="board">
        <section class="board-list" aria-labelledby="alert-count">
          <p id="alert-count" class="count" aria-live="polite">
            {t('page.loading')}
          </p>
          <ul id="alert-list" class="alert-list" />
        </section>
        <section id="alert-detail" class="board-detail card" aria-label={t('detail.title')} hidden />
      </div>
      <dialog id="ack-dialog" aria-labelledby="ack-title">
        <form method="dialog" id="ack-form">
          <h2 id="ack-title">{t('ack.title')}</h2>
          <p id="ack-summary" />
          <label for="ack-note">{t('ack.note')}</label>
          <textarea id="ack-note" name="note" rows={3} maxlength={500} />
          <p id="ack-error" class="error" role="alert" />
          <div class="dialog-actions">
            <button type="button" id="ack-cancel">
              {t('ack.cancel')}
            </button>
            <button type="submit" class="primary" id="ack-submit">
              {t('ack.submit')}
            </button>
          </div>
        </form>
      </dialog>
      <dialog id="resolve-dialog" aria-labelledby="resolve-title">
        <form method="dialog" id="resolve-form">
          <h2 id="resolve-title">{t('resolve.title')}</h2>
          <p id="resolve-summary" />
          <label for="resolve-note">{t('resolve.note')}</label>
          <textarea id="resolve-note" name="note" rows={3} maxlength={2000} aria-required="true" />
          <p id="resolve-error" class="error" role="alert" />
          <div class="dialog-actions">
            <button type="button" id="resolve-cancel">
              {t('resolve.cancel')}
            </button>
            <button type="submit" class="primary" id="resolve-submit">
              {t('resolve.submit')}
            </button>
          </div>
        </form>
      </dialog>
    </Layout>
  );
}
