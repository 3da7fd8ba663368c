/** One alert in full: its fields, its history of events, and a chart of its metric around the alert. */
import type { Alert, AlertEvent } from './alert-model.js';
import { describeAlert, ruleName, systemMessage } from './alert-text.js';
import { api } from './api.js';
import { everyFor, type Point, renderChart } from './chart.js';
import { byId, fill, h } from './dom.js';
import { fmtTime, fmtValue, metricName } from './format.js';
import { t } from './locale.js';
import { schemeName, siteLabel } from './places.js';

const BEFORE_MS = 2 * 3_600_000;
const AFTER_MS = 30 * 60_000;

export function createAlertDetail(opts: { onClose(): void }) {
  const panel = byId('alert-detail');
  let shownId: string | null = null;
  let freeChart: () => void = () => {};
  let generation = 0;

  const close = () => {
    freeChart();
    freeChart = () => {};
    shownId = null;
    panel.hidden = true;
    panel.replaceChildren();
    opts.onClose();
  };

  const render = (a: Alert & { events: AlertEvent[] }, focus: boolean) => {
    freeChart();
    const heading = h('h2', { tabindex: -1 }, ruleName(a.ruleId));
    const chartBox = h('div', { class: 'chart-area' });
    const fields: [string, string][] = [
      [t('alerts.raisedAt'), fmtTime(a.raisedAt)],
      [t('alerts.device'), a.deviceId],
      [t('alerts.site'), siteLabel(a.siteId)],
      [t('alerts.scheme'), schemeName(a.schemeId)],
      ...(a.metric && a.value !== undefined
        ? [[t('alerts.value'), fmtValue(a.metric, a.value)] as [string, string]]
        : []),
      ...(a.metric && a.limit !== undefined
        ? [[t('alerts.limit'), fmtValue(a.metric, a.limit)] as [string, string]]
        : []),
      [t('detail.message'), systemMessage(a, siteLabel(a.siteId))],
    ];
    fill(
      panel,
      h(
        'div',
        { class: 'detail-head' },
        heading,
        h('button', { type: 'button', class: 'close', 'aria-label': t('detail.close'), onclick: close }, '×'),
      ),
      h(
        'p',
        { class: `desc sev-text-${a.severity}` },
        `${t(`severity.${a.severity}`)} · ${describeAlert(a)}`,
      ),
      h('p', {}, stateBadges(a)),
      h('dl', { class: 'fields' }, ...fields.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])),
      h(
        'h3',
        {},
        a.metric ? t('detail.chart', { metric: metricName(a.metric) }) : t('detail.chart', { metric: '' }),
      ),
      chartBox,
      h('h3', {}, t('detail.history')),
      historyTable(a.events),
    );
    if (focus) heading.focus();
    if (!a.metric) {
      fill(chartBox, h('p', { class: 'muted' }, t('detail.noChart')));
      return;
    }
    const raised = Date.parse(a.raisedAt);
    const end = a.clearedAt ? Date.parse(a.clearedAt) + AFTER_MS : Date.now();
    const from = raised - BEFORE_MS;
    const to = Math.min(Date.now(), Math.max(end, raised + AFTER_MS));
    const metric = a.metric;
    const q = new URLSearchParams({
      metric,
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      every: everyFor(to - from),
    });
    const mine = generation;
    api<{ points: Point[] }>(`/api/v1/devices/${encodeURIComponent(a.deviceId)}/readings?${q}`)
      .then((r) => {
        if (mine !== generation) return;
        freeChart = renderChart(chartBox, {
          metric,
          points: r.points,
          from,
          to,
          limits: a.limit === undefined ? [] : [a.limit],
          marker: raised,
          height: 200,
        });
      })
      .catch((e: unknown) =>
        fill(chartBox, h('p', { class: 'error' }, t('page.loadFailed', { detail: String(e) }))),
      );
  };

  return {
    get shownId() {
      return shownId;
    },
    async show(id: string, focus = true): Promise<void> {
      const mine = ++generation;
      shownId = id;
      panel.hidden = false;
      if (focus) fill(panel, h('p', {}, t('page.loading')));
      try {
        const a = await api<Alert & { events: AlertEvent[] }>(`/api/v1/alerts/${encodeURIComponent(id)}`);
        if (mine === generation) render(a, focus);
      } catch (e) {
        if (mine === generation)
          fill(panel, h('p', { class: 'error' }, t('page.loadFailed', { detail: String(e) })));
      }
      if (focus && matchMedia('(max-width: 900px)').matches) panel.scrollIntoView({ block: 'start' });
    },
    close,
  };
}

export function stateBadges(a: Alert): HTMLElement[] {
  return [
    a.active
      ? h('span', { class: 'badge state-active' }, t('alerts.active'))
      : h('span', { class: 'badge state-cleared' }, t('alerts.cleared')),
    a.resolvedBy ? h('span', { class: 'badge state-resolved' }, t('alerts.resolved')) : null,
    a.acknowledged ? h('span', { class: 'badge state-acked' }, `✓ ${t('alerts.acknowledged')}`) : null,
    a.suppressed ? h('span', { class: 'badge state-suppressed' }, t('alerts.suppressed')) : null,
  ].filter((x): x is HTMLElement => x !== null);
}

function historyTable(events: AlertEvent[]): HTMLElement {
  return h(
    'table',
    { class: 'history' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, t('detail.time')),
        h('th', { scope: 'col' }, t('detail.event')),
        h('th', { scope: 'col' }, t('detail.by')),
        h('th', { scope: 'col' }, t('detail.note')),
      ),
    ),
    h(
      'tbody',
      {},
      events.map((e) =>
        h(
          'tr',
          {},
          h('td', {}, fmtTime(e.at)),
          h('td', {}, eventName(e.type)),
          h('td', {}, byOf(e)),
          h('td', {}, noteOf(e)),
        ),
      ),
    ),
  );
}

const EVENT_NAMES = [
  'raised',
  'acknowledged',
  'cleared',
  'resolved',
  'notified',
  'notify-failed',
  'suppressed',
] as const;

function eventName(type: string): string {
  return (EVENT_NAMES as readonly string[]).includes(type)
    ? t(`event.${type as (typeof EVENT_NAMES)[number]}`)
    : type;
}

/** Who made a person's change (the acknowledger or the resolver), or who was notified on which channel. */
function byOf(e: AlertEvent): string {
  if (e.type === 'acknowledged') return e.alert.acknowledgedBy ?? '';
  if (e.type === 'resolved') return e.alert.resolvedBy ?? '';
  const n = e.notification;
  return n ? t('notify.to', { channel: n.channel, recipient: n.recipient }) : '';
}

const STEPS = ['raised', 'repeat', 'escalate', 'recovery'] as const;
const LEVELS = ['county', 'prefecture', 'region'] as const;

/** The acknowledgement's or resolve's note, or what kind of notification it was (and why it failed). */
function noteOf(e: AlertEvent): string {
  if (e.type === 'acknowledged') return e.alert.note ?? '';
  if (e.type === 'resolved') return e.alert.resolutionNote ?? '';
  const n = e.notification;
  if (!n) return '';
  const step = (STEPS as readonly string[]).includes(n.step)
    ? t(`notify.step.${n.step as (typeof STEPS)[number]}`)
    : n.step;
  const level = (LEVELS as readonly string[]).includes(n.level)
    ? t(`notify.level.${n.level as (typeof LEVELS)[number]}`)
    : n.level;
  return [`${step} · ${level}`, n.error].filter(Boolean).join(' — ');
}
