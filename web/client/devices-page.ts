/** The devices page: one county's devices by scheme and site, online state, last values, and a chart. */
import type { Alert } from './alert-model.js';
import { api } from './api.js';
import { everyFor, type Point, renderChart } from './chart.js';
import {
  type AlarmsByDevice,
  deviceAlarmBadge,
  groupAlarms,
  valueAlarm,
  windowWithData,
  worst,
} from './device-alarms.js';
import { byId, fill, h } from './dom.js';
import { fmtAgo, fmtTime, fmtValue, metricName } from './format.js';
import { t } from './locale.js';
import { loadPlaces, type Places, schemeName, siteLabel } from './places.js';
import type { Session } from './session.js';

interface Device {
  id: string;
  siteId: string;
  schemeId: string;
  countyId: string;
  metrics: string[];
  intervalS: number;
  online: boolean;
  lastSeen: string | null;
}
type Latest = Record<string, { value: number; ts: string }>;
type Limits = Record<string, { min?: number; max?: number }>;

const REFRESH_MS = 15_000;
const WINDOW_MS: Record<string, number> = {
  '1h': 3_600_000,
  '6h': 21_600_000,
  '24h': 86_400_000,
  '7d': 7 * 86_400_000,
  '30d': 30 * 86_400_000,
};

export function startDevicesPage(session: Session): void {
  const countySelect = byId<HTMLSelectElement>('device-county');
  const groups = byId('device-groups');
  const summary = byId('device-summary');
  const panel = byId('device-chart');
  const chartTitle = byId('device-chart-title');
  const metricSelect = byId<HTMLSelectElement>('chart-metric');
  const windowSelect = byId<HTMLSelectElement>('chart-window');
  const chartArea = byId('chart-area');
  let devices: Device[] = [];
  let charted: Device | null = null;
  let freeChart: () => void = () => {};
  let generation = 0;
  const filterInput = byId<HTMLInputElement>('device-filter');
  const offlineOnly = byId<HTMLInputElement>('device-offline');
  let last: { places: Places; values: Map<string, Latest> } | null = null;
  let alarms: AlarmsByDevice = new Map();
  let limits = new Map<string, Limits>();

  const asked = new URLSearchParams(location.search).get('county');
  for (const c of session.counties)
    countySelect.append(h('option', { value: c.id, selected: c.id === asked }, c.name));
  const county = () => countySelect.value;

  const load = async (quiet: boolean) => {
    const id = county();
    if (!id) return fill(groups, h('p', {}, t('devices.empty')));
    if (!quiet) summary.textContent = t('page.loading');
    try {
      const [all, latest, places, active] = await Promise.all([
        api<{ items: Device[] }>('/api/v1/devices'),
        api<{ items: { deviceId: string; values: Latest; limits?: Limits }[] }>(
          `/ui/latest?county=${encodeURIComponent(id)}`,
        ),
        loadPlaces(id),
        api<{ items: Alert[] }>(`/api/v1/alerts?active=true&county=${encodeURIComponent(id)}&limit=1000`),
      ]);
      if (id !== county()) return;
      alarms = groupAlarms(active.items);
      limits = new Map(latest.items.map((l) => [l.deviceId, l.limits ?? {}]));
      devices = all.items.filter((d) => d.countyId === id);
      const values = new Map(latest.items.map((l) => [l.deviceId, l.values]));
      const online = devices.filter((d) => d.online).length;
      summary.textContent = `${t('devices.summary', { online, total: devices.length })} · ${t('page.updated', { time: fmtTime(Date.now()) })}`;
      render(places, values);
    } catch (e) {
      summary.textContent = t('page.loadFailed', { detail: e instanceof Error ? e.message : String(e) });
    }
  };

  const render = (places: Places, values: Map<string, Latest>) => {
    last = { places, values };
    const q = filterInput.value.trim().toLowerCase();
    const shown = devices.filter(
      (d) =>
        (!offlineOnly.checked || !d.online) &&
        (!q ||
          [d.id, d.siteId, d.schemeId, siteLabel(d.siteId), schemeName(d.schemeId)].some((w) =>
            w.toLowerCase().includes(q),
          )),
    );
    if (shown.length === 0) return fill(groups, h('p', {}, t('devices.empty')));
    // Registry order: schemes as listed, and within one its sites from source to tap.
    const siteOrder = new Map(places.sites.map((site, i) => [site.id, i]));
    const now = Date.now();
    fill(
      groups,
      places.schemes
        .map((s) => ({ s, list: shown.filter((d) => d.schemeId === s.id) }))
        .filter(({ list }) => list.length > 0)
        .map(({ s, list }) =>
          h(
            'section',
            { class: 'card scheme', 'aria-labelledby': `scheme-${s.id}` },
            h('h2', { id: `scheme-${s.id}` }, s.name, ' ', h('span', { class: 'muted small' }, s.id)),
            h(
              'ul',
              { class: 'device-list' },
              list
                .sort(
                  (a, b) =>
                    (siteOrder.get(a.siteId) ?? 0) - (siteOrder.get(b.siteId) ?? 0) ||
                    a.id.localeCompare(b.id),
                )
                .map((d) => deviceItem(d, values.get(d.id) ?? {}, now)),
            ),
          ),
        ),
    );
  };

  const deviceItem = (d: Device, latest: Latest, now: number) => {
    const on = alarms.get(d.id) ?? [];
    const sev = worst(on);
    return h(
      'li',
      {
        class: `device ${d.online ? 'is-online' : 'is-offline'}${sev ? ` has-alarm alarm-${sev}` : ''}`,
        'data-device-id': d.id,
        'data-alarm': sev ?? undefined,
      },
      h('h3', { class: 'site-label' }, siteLabel(d.siteId)),
      h(
        'div',
        { class: 'device-head' },
        h('strong', {}, d.id),
        h(
          'span',
          { class: `status ${d.online ? 'online' : 'offline'}` },
          d.online ? `● ${t('devices.online')}` : `○ ${t('devices.offline')}`,
        ),
        h(
          'span',
          { class: 'muted' },
          `${t('devices.lastSeen')}: `,
          d.lastSeen
            ? h('time', { datetime: d.lastSeen, title: fmtTime(d.lastSeen) }, fmtAgo(d.lastSeen, now))
            : t('devices.never'),
        ),
      ),
      deviceAlarmBadge(on),
      h(
        'dl',
        { class: 'values' },
        d.metrics.map((m) => {
          const alarm = valueAlarm(m, on);
          return h(
            'div',
            { 'data-metric': m, class: alarm ? `value-alarm sev-text-${alarm.sev}` : undefined },
            h('dt', {}, metricName(m)),
            h('dd', { class: 'value' }, latest[m] ? fmtValue(m, latest[m].value) : '—'),
            alarm ? h('dd', { class: 'alarm-text' }, alarm.text) : null,
          );
        }),
      ),
      h('button', { type: 'button', 'data-chart': d.id, onclick: () => openChart(d) }, t('devices.chart')),
    );
  };

  const openChart = (d: Device) => {
    charted = d;
    panel.dataset.device = d.id;
    // Start on a metric the device has actually reported, not one that would show an empty chart.
    const reported = d.metrics.find((m) => last?.values.get(d.id)?.[m]) ?? d.metrics[0];
    fill(
      metricSelect,
      d.metrics.map((m) => h('option', { value: m, selected: m === reported }, metricName(m))),
    );
    windowSelect.value = windowWithData(windowSelect.value, d.lastSeen, Date.now());
    panel.hidden = false;
    void drawChart();
    chartTitle.focus();
    panel.scrollIntoView({ block: 'nearest' });
  };

  const drawChart = async () => {
    const d = charted;
    if (!d) return;
    const mine = ++generation;
    const metric = metricSelect.value;
    const windowMs = WINDOW_MS[windowSelect.value] ?? WINDOW_MS['24h']!;
    chartTitle.textContent = t('devices.chartTitle', {
      device: `${siteLabel(d.siteId)} · ${d.id}`,
      metric: metricName(metric),
    });
    const to = Date.now();
    const from = to - windowMs;
    const q = new URLSearchParams({
      metric,
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      every: everyFor(windowMs),
    });
    try {
      const r = await api<{ points: Point[] }>(`/api/v1/devices/${encodeURIComponent(d.id)}/readings?${q}`);
      if (mine !== generation) return;
      freeChart();
      // The rule's limits as lines, and the raising of an active alert on this metric as a marker.
      const l = limits.get(d.id)?.[metric];
      const onMetric = (alarms.get(d.id) ?? []).filter((a) => a.metric === metric);
      const lines = [l?.min, l?.max, ...onMetric.filter((a) => a.kind === 'rate').map((a) => a.limit)];
      const raisedAt = onMetric[0] ? Date.parse(onMetric[0].raisedAt) : undefined;
      freeChart = renderChart(chartArea, {
        metric,
        points: r.points,
        from,
        to,
        limits: lines.filter((x): x is number => x !== undefined),
        marker: raisedAt !== undefined && raisedAt >= from ? raisedAt : undefined,
      });
      chartArea.dataset.limits = lines.filter((x) => x !== undefined).join(',');
    } catch (e) {
      fill(chartArea, h('p', { class: 'error' }, t('page.loadFailed', { detail: String(e) })));
    }
  };

  const rerender = () => {
    if (last) render(last.places, last.values);
  };
  byId('device-filters').addEventListener('submit', (e) => e.preventDefault());
  filterInput.addEventListener('input', rerender);
  offlineOnly.addEventListener('change', rerender);
  metricSelect.addEventListener('change', () => void drawChart());
  windowSelect.addEventListener('change', () => void drawChart());
  byId('chart-close').addEventListener('click', () => {
    freeChart();
    freeChart = () => {};
    charted = null;
    panel.hidden = true;
    (
      groups.querySelector(`[data-chart="${CSS.escape(panel.dataset.device ?? '')}"]`) as HTMLElement | null
    )?.focus();
  });
  countySelect.addEventListener('change', () => {
    history.replaceState(null, '', `?county=${encodeURIComponent(county())}`);
    void load(false);
  });
  setInterval(() => void load(true), REFRESH_MS);
  void load(false);
}
