/** The schematic page: every scheme of a county as an SVG from its `upstream` links, with each site's live state. */
import type { Alert } from './alert-model.js';
import { ruleName } from './alert-text.js';
import { api } from './api.js';
import { byId, fill, h } from './dom.js';
import { fmtTime, fmtValue, metricName } from './format.js';
import { t } from './locale.js';
import { loadPlaces, type Places, siteKindName } from './places.js';
import { layoutScheme } from './schematic-layout.js';
import type { Session } from './session.js';

interface Device {
  id: string;
  siteId: string;
  countyId: string;
  metrics: string[];
  online: boolean;
}
type Latest = Record<string, { value: number; ts: string }>;
type State = 'critical' | 'warning' | 'ok' | 'offline' | 'none';

const REFRESH_MS = 15_000;
const NODE_W = 224;
const NODE_H = 74;
const COL_W = 264;
const ROW_H = 90;
const PAD = 8;
const SVG = 'http://www.w3.org/2000/svg';

function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number> = {},
  ...kids: (Node | string)[]
): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  el.append(...kids);
  return el;
}

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

export function startSchematicPage(session: Session): void {
  const countySelect = byId<HTMLSelectElement>('schematic-county');
  const schemeSelect = byId<HTMLSelectElement>('schematic-scheme');
  const box = byId('schematics');
  const summary = byId('schematic-summary');
  const params = new URLSearchParams(location.search);
  for (const c of session.counties)
    countySelect.append(h('option', { value: c.id, selected: c.id === params.get('county') }, c.name));
  let wantScheme = params.get('scheme') ?? '';
  let generation = 0;

  const load = async (quiet: boolean) => {
    const county = countySelect.value;
    if (!county) return;
    const mine = ++generation;
    if (!quiet) summary.textContent = t('page.loading');
    try {
      const [places, all, latest, active] = await Promise.all([
        loadPlaces(county),
        api<{ items: Device[] }>('/api/v1/devices'),
        api<{ items: { deviceId: string; values: Latest }[] }>(
          `/ui/latest?county=${encodeURIComponent(county)}`,
        ),
        api<{ items: Alert[] }>(`/api/v1/alerts?active=true&county=${encodeURIComponent(county)}&limit=1000`),
      ]);
      if (mine !== generation) return;
      const values = new Map(latest.items.map((l) => [l.deviceId, l.values]));
      if (
        schemeSelect.options.length !== places.schemes.length + 1 ||
        schemeSelect.dataset.county !== county
      ) {
        schemeSelect.dataset.county = county;
        schemeSelect.replaceChildren(
          schemeSelect.options[0]!,
          ...places.schemes.map((s) => h('option', { value: s.id, selected: s.id === wantScheme }, s.name)),
        );
      }
      render(
        places,
        all.items.filter((d) => d.countyId === county),
        values,
        active.items,
      );
    } catch (e) {
      summary.textContent = t('page.loadFailed', { detail: e instanceof Error ? e.message : String(e) });
    }
  };

  const render = (places: Places, devices: Device[], values: Map<string, Latest>, alerts: Alert[]) => {
    const schemes = places.schemes.filter((s) => !schemeSelect.value || s.id === schemeSelect.value);
    let alarmed = 0;
    let siteCount = 0;
    const sections = schemes.map((scheme) => {
      const sites = places.sites.filter((s) => s.scheme === scheme.id);
      siteCount += sites.length;
      const layout = layoutScheme(sites);
      const info = new Map(sites.map((s) => [s.id, s]));
      const stateOf = new Map<string, State>();
      const nodes = layout.sites.map((p) => {
        const site = info.get(p.id)!;
        const here = devices.filter((d) => d.siteId === p.id);
        const onSite = alerts.filter((a) => a.siteId === p.id);
        const state: State = onSite.some((a) => a.severity === 'critical')
          ? 'critical'
          : onSite.length > 0
            ? 'warning'
            : here.length === 0
              ? 'none'
              : here.every((d) => !d.online)
                ? 'offline'
                : 'ok';
        if (onSite.length > 0) alarmed++;
        stateOf.set(p.id, state);
        const readings = here.flatMap((d) =>
          d.metrics
            .filter((m) => values.get(d.id)?.[m])
            .map((m) => `${metricName(m)} ${fmtValue(m, values.get(d.id)![m]!.value)}`),
        );
        const stateText =
          onSite.length > 0
            ? t('schemes.alarms', { n: onSite.length })
            : state === 'none'
              ? `□ ${t('schemes.unmonitored')}`
              : state === 'offline'
                ? `○ ${t('devices.offline')}`
                : `● ${t('devices.online')}`;
        const x = PAD + p.depth * COL_W;
        const y = PAD + p.row * ROW_H;
        const title = [
          `${siteKindName(site.kind)} ${site.name ?? site.id}`,
          ...here.map((d) => `${d.id}: ${d.online ? t('devices.online') : t('devices.offline')}`),
          ...readings,
          ...onSite.map((a) => `⚠ ${ruleName(a.ruleId)} · ${fmtTime(a.raisedAt)}`),
        ].join('\n');
        return svg(
          'g',
          {
            class: `node node-${state}`,
            'data-site': p.id,
            'data-state': state,
            transform: `translate(${x} ${y})`,
            tabindex: 0,
            role: 'img',
            'aria-label': title.replaceAll('\n', '; '),
          },
          svg('title', {}, title),
          svg('rect', { width: NODE_W, height: NODE_H, rx: 8 }),
          svg(
            'text',
            { x: 10, y: 20, class: 'node-name' },
            clip(`${siteKindName(site.kind)} ${site.name ?? site.id}`, 24),
          ),
          svg(
            'text',
            { x: 10, y: 40, class: 'node-values' },
            clip(readings.slice(0, 2).join(' · ') || '—', 30),
          ),
          svg('text', { x: 10, y: 60, class: 'node-state' }, stateText),
        );
      });
      const edges = layout.edges.map((e) => {
        const a = layout.sites.find((s) => s.id === e.from)!;
        const b = layout.sites.find((s) => s.id === e.to)!;
        const x1 = PAD + a.depth * COL_W + NODE_W;
        const y1 = PAD + a.row * ROW_H + NODE_H / 2;
        const x2 = PAD + b.depth * COL_W;
        const y2 = PAD + b.row * ROW_H + NODE_H / 2;
        const mid = (x1 + x2) / 2;
        return svg('path', {
          class: `edge edge-${stateOf.get(e.to)}`,
          d: `M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2 - 6},${y2}`,
          'marker-end': 'url(#arrow)',
        });
      });
      const width = PAD * 2 + (layout.columns - 1) * COL_W + NODE_W;
      const height = PAD * 2 + Math.max(0, layout.rows - 1) * ROW_H + NODE_H;
      const drawing = svg(
        'svg',
        {
          class: 'schematic',
          viewBox: `0 0 ${width} ${height}`,
          width,
          height,
          role: 'group',
          'aria-label': t('schemes.diagram', { name: scheme.name }),
        },
        svg(
          'defs',
          {},
          svg(
            'marker',
            {
              id: 'arrow',
              viewBox: '0 0 10 10',
              refX: 8,
              refY: 5,
              markerWidth: 9,
              markerHeight: 9,
              // Arrows the same size on a thick (alarm) pipe as on a thin one.
              markerUnits: 'userSpaceOnUse',
              orient: 'auto',
            },
            svg('path', { d: 'M0,0 L10,5 L0,10 z', class: 'arrow' }),
          ),
        ),
        ...edges,
        ...nodes,
      );
      return h(
        'section',
        { class: 'card scheme-schematic', 'data-scheme': scheme.id, 'aria-labelledby': `sch-${scheme.id}` },
        h('h2', { id: `sch-${scheme.id}` }, scheme.name, ' ', h('span', { class: 'muted small' }, scheme.id)),
        h('div', { class: 'schematic-scroll' }, drawing),
      );
    });
    summary.textContent = `${t('schemes.summary', { schemes: schemes.length, sites: siteCount, alarms: alarmed })} · ${t('page.updated', { time: fmtTime(Date.now()) })}`;
    fill(box, sections);
  };

  const remember = () => {
    const q = new URLSearchParams({ county: countySelect.value });
    if (schemeSelect.value) q.set('scheme', schemeSelect.value);
    history.replaceState(null, '', `?${q}`);
  };
  countySelect.addEventListener('change', () => {
    wantScheme = '';
    schemeSelect.value = '';
    remember();
    void load(false);
  });
  schemeSelect.addEventListener('change', () => {
    wantScheme = schemeSelect.value;
    remember();
    void load(false);
  });
  setInterval(() => void load(true), REFRESH_MS);
  void load(false);
}
