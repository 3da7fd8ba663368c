/** The alert board: the list, its filters, live updates from the SSE stream, acknowledging, resolving, the detail panel. */
import { createAckDialog, createResolveDialog } from './ack-dialog.js';
import { createAlertDetail, stateBadges } from './alert-detail.js';
import {
  type Alert,
  type AlertFilter,
  mergeAlert,
  NO_FILTER,
  parseAlertEvent,
  RECENT_MS,
  visibleAlerts,
} from './alert-model.js';
import { describeAlert, ruleName } from './alert-text.js';
import { api } from './api.js';
import { createCue } from './cue.js';
import { byId, fill, h } from './dom.js';
import { fmtAgo, fmtTime } from './format.js';
import { groupIncidents } from './incident-model.js';
import { createIncidentRows } from './incident-row.js';
import { t } from './locale.js';
import { isLoaded, loadPlaces, schemeName, siteLabel } from './places.js';
import { startPushToggle } from './push-toggle.js';

import { type Session, storedKey, toSignIn } from './session.js';
import { openStream, type StreamState } from './sse-stream.js';

const PAGE_LIMIT = 500;
const MAX_PAGES = 10;
/** How long a newly raised alert stays highlighted. */
const NEW_MS = 60_000;

export function startAlertsPage(session: Session): void {
  const list = byId<HTMLUListElement>('alert-list');
  const count = byId('alert-count');
  const status = byId('stream-status');
  const form = byId<HTMLFormElement>('alert-filters');
  const countySelect = form.elements.namedItem('county') as HTMLSelectElement;
  const alerts = new Map<string, Alert>();
  const fresh = new Map<string, number>();
  const countyName = new Map(session.counties.map((c) => [c.id, c.name]));
  let filter: AlertFilter = { ...NO_FILTER };
  let ready = false;

  for (const c of session.counties) countySelect.append(h('option', { value: c.id }, c.name));
  // One county needs no county filter.
  if (session.counties.length <= 1) (countySelect.closest('label') as HTMLElement).hidden = true;

  const cue = createCue();
  startPushToggle();
  // A desk shows the filters; a phone folds them so the first alert is on the first screen.
  const fold = byId<HTMLDetailsElement>('filters-fold');
  if (matchMedia('(min-width: 601px)').matches) fold.open = true;
  const activeFilters = byId('filters-active');
  const detail = createAlertDetail({ onClose: () => history.replaceState(null, '', location.pathname) });
  const ack = createAckDialog((a) => {
    upsert(a);
    cue.settle(a.id);
    render();
    // Its acknowledge button is gone now: keep the keyboard on the same alert.
    (
      list.querySelector(`[data-focus-key="${CSS.escape(`details:${a.id}`)}"]`) as HTMLElement | null
    )?.focus();
    if (detail.shownId === a.id) void detail.show(a.id, false);
  });

  const resolve = createResolveDialog((a) => {
    upsert(a);
    render();
    (
      list.querySelector(`[data-focus-key="${CSS.escape(`details:${a.id}`)}"]`) as HTMLElement | null
    )?.focus();
    if (detail.shownId === a.id) void detail.show(a.id, false);
  });

  const upsert = (a: Alert) => {
    const merged = mergeAlert(alerts.get(a.id), a);
    alerts.set(a.id, merged);
    if (!isLoaded(a.countyId)) void loadPlaces(a.countyId).then(render, () => {});
    return merged;
  };

  // Search matches what the reader sees in their language (county, scheme and site names, rule,
  // message) as well as ids: 西吉 finds Xiji's alerts.
  const words = (a: Alert) => [
    countyName.get(a.countyId) ?? a.countyId,
    a.countyId,
    schemeName(a.schemeId),
    siteLabel(a.siteId),
    ruleName(a.ruleId),
    describeAlert(a),
  ];

  const render = () => {
    // Until the first list arrives the server-rendered "Loading…" stays, not a false "no alerts".
    if (!ready) return;
    const now = Date.now();
    const shown = visibleAlerts(alerts.values(), filter, now, words);
    // Re-rendering replaces the buttons: put the keyboard focus back where it was.
    const focused = document.activeElement as HTMLElement | null;
    const focusKey = list.contains(focused) ? `${focused?.dataset.action}:${focused?.dataset.alertId}` : null;
    // Only a change is written: the count is a live region, and a rewrite would be announced again.
    const countText = t('alerts.count', { n: shown.length });
    if (count.textContent !== countText) count.textContent = countText;
    // One row per incident (CONTRACT §8): a burst's downstream alerts or hundreds of silent devices fold into it.
    fill(
      list,
      shown.length === 0
        ? h('li', { class: 'empty' }, t('alerts.empty'))
        : groupIncidents(shown).map((g) => incidents.row(g, now)),
    );
    if (focusKey)
      (list.querySelector(`[data-focus-key="${CSS.escape(focusKey)}"]`) as HTMLElement | null)?.focus();
  };

  const item = (a: Alert, now: number) => {
    const isNew = (fresh.get(a.id) ?? 0) > now - NEW_MS;
    const canAck = session.canAcknowledge && !a.acknowledged;
    // CONTRACT §8: whoever may acknowledge may also end an active alert by hand.
    const canResolve = session.canAcknowledge && a.active;
    const button = (action: string, label: string, onclick: () => void, cls = '') =>
      h(
        'button',
        {
          type: 'button',
          class: cls,
          'data-action': action,
          'data-alert-id': a.id,
          'data-focus-key': `${action}:${a.id}`,
          // Every row has these buttons: the name says which alert, starting with the visible label.
          'aria-label': `${label}: ${ruleName(a.ruleId)} · ${a.deviceId}`,
          onclick,
        },
        label,
      );
    return h(
      'li',
      {
        class: `alert sev-${a.severity}${a.acknowledged ? ' acked' : ''}${isNew ? ' new' : ''}${a.active ? '' : ' cleared'}`,
        'data-alert-id': a.id,
        'data-county': a.countyId,
        'data-rule': a.ruleId,
      },
      h(
        'div',
        { class: 'alert-main' },
        h('span', { class: `badge sev-badge-${a.severity}` }, t(`severity.${a.severity}`)),
        ' ',
        h('strong', { class: 'rule' }, ruleName(a.ruleId)),
        h('p', { class: 'desc' }, describeAlert(a)),
        h(
          'p',
          { class: 'meta' },
          [
            siteLabel(a.siteId),
            schemeName(a.schemeId),
            session.counties.length > 1 ? (countyName.get(a.countyId) ?? a.countyId) : null,
            `${t('alerts.device')} ${a.deviceId}`,
          ]
            .filter(Boolean)
            .join(' · '),
          ' · ',
          h('time', { datetime: a.raisedAt, title: fmtTime(a.raisedAt) }, fmtAgo(a.raisedAt, now)),
        ),
        a.acknowledged && a.note
          ? h('p', { class: 'note' }, h('span', { class: 'label' }, t('detail.note')), ' ', a.note)
          : null,
      ),
      h(
        'div',
        { class: 'alert-actions' },
        ...stateBadges(a),
        button('details', t('alerts.details'), () => openDetail(a.id)),
        canAck ? button('ack', t('alerts.ack'), () => ack.open(alerts.get(a.id) ?? a), 'primary') : null,
        canResolve ? button('resolve', t('alerts.resolve'), () => resolve.open(alerts.get(a.id) ?? a)) : null,
      ),
    );
  };

  const incidents = createIncidentRows({
    item,
    countyName: (id) => countyName.get(id) ?? id,
    changed: () => render(),
  });

  const openDetail = (id: string) => {
    history.replaceState(null, '', `#alert=${encodeURIComponent(id)}`);
    void detail.show(id);
  };

  const loadList = async () => {
    const started = Date.now();
    const q = new URLSearchParams({ limit: String(PAGE_LIMIT) });
    if (filter.status === 'active') q.set('active', 'true');
    else q.set('since', new Date(started - RECENT_MS).toISOString());
    const seen = new Set<string>();
    let complete = false;
    for (let page = 0; page < MAX_PAGES; page++) {
      const r = await api<{ items: Alert[]; nextCursor?: string }>(`/api/v1/alerts?${q}`);
      for (const a of r.items) {
        upsert(a);
        seen.add(a.id);
      }
      if (!r.nextCursor) {
        complete = true;
        break;
      }
      q.set('cursor', r.nextCursor);
    }
    // Alerts that cleared while the stream was down and were not replayed: the list no longer has them.
    if (complete && filter.status === 'active') {
      for (const [id, a] of alerts) {
        if (a.active && !seen.has(id) && Date.parse(a.raisedAt) < started - 5000) alerts.delete(id);
      }
    }
    ready = true;
    render();
  };

  const reload = () =>
    loadList().catch((e: unknown) => {
      count.textContent = t('page.loadFailed', { detail: e instanceof Error ? e.message : String(e) });
    });

  const showState = (state: StreamState) => {
    status.dataset.state = state;
    status.textContent =
      state === 'live'
        ? t('alerts.stream.live')
        : state === 'connecting'
          ? t('alerts.stream.connecting')
          : state === 'retrying'
            ? t('alerts.stream.retrying')
            : t('page.forbidden');
  };

  const stream = openStream({
    url: '/api/v1/alerts/stream',
    headers: (): Record<string, string> => {
      const key = storedKey();
      return key ? { authorization: `Bearer ${key}` } : {};
    },
    onState: showState,
    // (Re)loading the list once the stream is open means no event falls between the two.
    onOpen: () => void reload(),
    onFatal: (s) => {
      if (s === 401) toSignIn('expired');
    },
    onMessage: (m) => {
      if (m.event !== 'alert' && m.event !== 'message') return;
      const ev = parseAlertEvent(m.data);
      if (!ev) return;
      // A notification event only adds to the history: its snapshot of the alert may be older than ours.
      if (ev.type === 'notified' || ev.type === 'notify-failed') {
        if (detail.shownId === ev.alert.id) void detail.show(ev.alert.id, false);
        return;
      }
      const known = alerts.has(ev.alert.id);
      const a = upsert(ev.alert);
      if (ev.type === 'raised' && !known) {
        fresh.set(a.id, Date.now());
        if (ready && a.active && a.severity === 'critical') {
          // The banner names where: county and site (their names come with the county's places).
          const text = () =>
            [
              countyName.get(a.countyId) ?? a.countyId,
              siteLabel(a.siteId),
              ruleName(a.ruleId),
              describeAlert(a),
            ].join(' · ');
          const cueIfWaiting = () => {
            const now = alerts.get(a.id);
            if (now?.active && !now.acknowledged) cue.critical(a.id, text());
          };
          void loadPlaces(a.countyId).then(cueIfWaiting, cueIfWaiting);
        }
      }
      if (a.acknowledged || !a.active) cue.settle(a.id);
      render();
      if (detail.shownId === a.id) void detail.show(a.id, false);
    },
  });
  // Going offline drops the connection at once (and says so) rather than waiting for TCP to notice;
  // coming back reconnects without waiting out the backoff.
  window.addEventListener('offline', () => stream.reconnect());
  window.addEventListener('online', () => stream.reconnect());
  window.addEventListener('pagehide', () => stream.close());

  form.addEventListener('submit', (e) => e.preventDefault());
  form.addEventListener('input', () => {
    const data = new FormData(form);
    const next = {
      status: data.get('status') === 'recent' ? 'recent' : 'active',
      severity: String(data.get('severity') ?? ''),
      ack: String(data.get('ack') ?? ''),
      county: String(data.get('county') ?? ''),
      q: String(data.get('q') ?? ''),
    } as AlertFilter;
    const statusChanged = next.status !== filter.status;
    filter = next;
    const n = [next.status !== 'active', next.severity, next.ack, next.county, next.q.trim()].filter(
      Boolean,
    ).length;
    activeFilters.textContent = n > 0 ? t('alerts.filtersOn', { n }) : '';
    render();
    if (statusChanged) void reload();
  });
  // "3 minutes ago" must not go stale, nor the highlight of new alerts stay forever.
  setInterval(render, 30_000);

  const fromHash = /^#alert=(.+)$/.exec(location.hash);
  if (fromHash) void detail.show(decodeURIComponent(fromHash[1]!));
}
