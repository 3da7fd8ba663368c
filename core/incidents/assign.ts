/**
 * Incident grouping as a pure state machine over AlertEvents: `assign(state, event, topology)` gives
 * the event its `incidentId`, and `grouped` events for alerts moved into a communication incident.
 */
import type { Alert, AlertEvent } from '../alert.js';
import { DEFAULT_INCIDENT_SETTINGS, type Family, familyOf, type IncidentSettings } from './settings.js';
import { commonAncestor, type Topology } from './topology.js';

export interface OpenIncident {
  id: string;
  /** `comm`: many devices silent together; otherwise the family of its alerts. */
  family: Family | 'comm';
  /** A communication incident's county, or `region`. */
  scope?: string;
  sites: ReadonlySet<string>;
  /** The incident's alerts as last seen, by id (kept so they can be moved with a `grouped` event). */
  alerts: ReadonlyMap<string, Alert>;
  active: number;
  openedAt: number;
  lastAt: number;
}

export interface IncidentState {
  incidents: ReadonlyMap<string, OpenIncident>;
  /** Incident of every alert the state knows. */
  byAlert: ReadonlyMap<string, string>;
  /** Active alerts per site: a monitored site with an alert joins the alerts it feeds. */
  alerting: ReadonlyMap<string, number>;
  /** Stale alerts of the last `commGapMs`. */
  recentStale: readonly { alertId: string; countyId: string; at: number }[];
}

export interface Assigned {
  state: IncidentState;
  /** The event with `incidentId` set on it and on its alert. */
  event: AlertEvent;
  /** Alerts moved into another incident, as `grouped` events (to store and publish after `event`). */
  grouped: AlertEvent[];
}

export function emptyIncidents(): IncidentState {
  return { incidents: new Map(), byAlert: new Map(), alerting: new Map(), recentStale: [] };
}

const tagged = (e: AlertEvent, incidentId: string): AlertEvent => ({
  ...e,
  alert: { ...e.alert, incidentId },
  incidentId,
});

export function assign(
  state: IncidentState,
  event: AlertEvent,
  topology: Topology,
  settings: IncidentSettings = DEFAULT_INCIDENT_SETTINGS,
): Assigned {
  const t = Date.parse(event.at);
  const s = prune(state, t, settings);
  if (event.type === 'raised') return raise(s, event, t, topology, settings);
  const incidentId = s.byAlert.get(event.alert.id) ?? event.alert.incidentId;
  if (incidentId === undefined) return { state: s, event, grouped: [] };
  const out = tagged(event, incidentId);
  if (event.type !== 'cleared') return { state: s, event: out, grouped: [] };
  const inc = s.incidents.get(incidentId);
  const incidents = new Map(s.incidents);
  if (inc?.alerts.has(event.alert.id)) {
    const alerts = new Map(inc.alerts).set(event.alert.id, out.alert);
    incidents.set(inc.id, {
      ...inc,
      alerts,
      active: Math.max(0, inc.active - 1),
      lastAt: Math.max(inc.lastAt, t),
    });
  }
  const alerting = new Map(s.alerting);
  const n = (alerting.get(event.alert.siteId) ?? 1) - 1;
  if (n > 0) alerting.set(event.alert.siteId, n);
  else alerting.delete(event.alert.siteId);
  return { state: { ...s, incidents, alerting }, event: out, grouped: [] };
}

/** Rebuilds the state after a restart from the store's active alerts and their incident ids. */
export function restoreIncidents(active: readonly Alert[]): IncidentState {
  let state = emptyIncidents();
  const sorted = [...active]
    .filter((a) => a.active)
    .sort((a, b) => Date.parse(a.raisedAt) - Date.parse(b.raisedAt));
  for (const a of sorted) {
    const id = a.incidentId ?? `i.${a.id}`;
    const at = Date.parse(a.raisedAt);
    const prev = state.incidents.get(id);
    const comm = id.startsWith('c.');
    const inc: OpenIncident = prev
      ? {
          ...prev,
          sites: new Set(prev.sites).add(a.siteId),
          alerts: new Map(prev.alerts).set(a.id, a),
          active: prev.active + 1,
          lastAt: Math.max(prev.lastAt, at),
        }
      : {
          id,
          family: comm ? 'comm' : familyOf(a),
          ...(comm ? { scope: id.split('.')[1] } : {}),
          sites: new Set([a.siteId]),
          alerts: new Map([[a.id, a]]),
          active: 1,
          openedAt: at,
          lastAt: at,
        };
    state = {
      ...state,
      incidents: new Map(state.incidents).set(id, inc),
      byAlert: new Map(state.byAlert).set(a.id, id),
      alerting: new Map(state.alerting).set(a.siteId, (state.alerting.get(a.siteId) ?? 0) + 1),
    };
  }
  return state;
}

/** Forgets incidents with no active alert once nothing more can join them, and old stale raises. */
function prune(s: IncidentState, t: number, settings: IncidentSettings): IncidentState {
  const keep = Math.max(settings.hydraulicWindowMs, settings.qualityWindowMs, settings.commGapMs);
  let incidents: Map<string, OpenIncident> | null = null;
  let byAlert: Map<string, string> | null = null;
  for (const inc of s.incidents.values()) {
    if (inc.active > 0 || t - inc.lastAt <= keep) continue;
    incidents ??= new Map(s.incidents);
    byAlert ??= new Map(s.byAlert);
    incidents.delete(inc.id);
    for (const id of inc.alerts.keys()) byAlert.delete(id);
  }
  const recentStale = s.recentStale.filter((r) => t - r.at <= settings.commGapMs);
  if (!incidents && recentStale.length === s.recentStale.length) return s;
  return { ...s, incidents: incidents ?? s.incidents, byAlert: byAlert ?? s.byAlert, recentStale };
}

function raise(
  s: IncidentState,
  event: AlertEvent,
  t: number,
  topology: Topology,
  settings: IncidentSettings,
): Assigned {
  const a = event.alert;
  if (a.kind === 'stale') {
    const recentStale = [...s.recentStale, { alertId: a.id, countyId: a.countyId, at: t }];
    const comm = communication(s, a, t, settings, recentStale);
    if (comm) return comm;
    return network({ ...s, recentStale }, event, t, topology, settings);
  }
  return network(s, event, t, topology, settings);
}

/** A site alerting downstream of another joins it when the sites between them cannot tell them apart. */
function connected(s: IncidentState, topology: Topology, site: string, inc: OpenIncident): boolean {
  for (const u of inc.sites) {
    const l = commonAncestor(topology, site, u);
    if (l === null) continue;
    if (l === site || l === u || !topology.sites.get(l)?.monitored || (s.alerting.get(l) ?? 0) > 0)
      return true;
  }
  return false;
}

function network(
  s: IncidentState,
  event: AlertEvent,
  t: number,
  topology: Topology,
  settings: IncidentSettings,
): Assigned {
  const a = event.alert;
  const family = familyOf(a);
  let target: OpenIncident | undefined;
  if (family !== 'device') {
    const window = family === 'quality' ? settings.qualityWindowMs : settings.hydraulicWindowMs;
    for (const inc of s.incidents.values()) {
      if (inc.family !== family) continue;
      if (inc.active === 0 && t - inc.lastAt > window) continue;
      if (family === 'hydraulic' && t - inc.lastAt > window && t - inc.openedAt > settings.qualityWindowMs)
        continue;
      if (!connected(s, topology, a.siteId, inc)) continue;
      if (!target || inc.openedAt < target.openedAt) target = inc;
    }
    // Water standing or flowing backwards changes its quality: with no quality incident to join, a
    // quality alert joins an active hydraulic one it is connected to (an outage, a burst), never the reverse.
    if (!target && family === 'quality') {
      for (const inc of s.incidents.values()) {
        if (inc.family !== 'hydraulic' || inc.active === 0 || !connected(s, topology, a.siteId, inc))
          continue;
        if (!target || inc.openedAt < target.openedAt) target = inc;
      }
    }
  }
  const id = target?.id ?? `i.${a.id}`;
  return join(s, target ?? fresh(id, family, t), tagged(event, id), t);
}

function fresh(id: string, family: OpenIncident['family'], t: number, scope?: string): OpenIncident {
  return {
    id,
    family,
    ...(scope ? { scope } : {}),
    sites: new Set(),
    alerts: new Map(),
    active: 0,
    openedAt: t,
    lastAt: t,
  };
}

/** Adds a raised (tagged) alert to an incident. */
function join(s: IncidentState, inc: OpenIncident, event: AlertEvent, t: number): Assigned {
  const a = event.alert;
  const next: OpenIncident = {
    ...inc,
    sites: new Set(inc.sites).add(a.siteId),
    alerts: new Map(inc.alerts).set(a.id, a),
    active: inc.active + 1,
    lastAt: Math.max(inc.lastAt, t),
  };
  return {
    state: {
      ...s,
      incidents: new Map(s.incidents).set(inc.id, next),
      byAlert: new Map(s.byAlert).set(a.id, inc.id),
      alerting: new Map(s.alerting).set(a.siteId, (s.alerting.get(a.siteId) ?? 0) + 1),
    },
    event,
    grouped: [],
  };
}

/** A stale alert that is part of many devices falling silent together, or null. */
function communication(
  s: IncidentState,
  a: Alert,
  t: number,
  settings: IncidentSettings,
  recentStale: IncidentState['recentStale'],
): Assigned | null {
  const recent = (inc: OpenIncident) => inc.family === 'comm' && t - inc.lastAt <= settings.commGapMs;
  const open = [...s.incidents.values()].filter(recent);
  const region = open.find((i) => i.scope === 'region');
  const county = open.find((i) => i.scope === a.countyId);
  const state0: IncidentState = { ...s, recentStale };
  const event: AlertEvent = { type: 'raised', at: new Date(t).toISOString(), alert: a };
  if (region) return join(state0, region, tagged(event, region.id), t);

  let target = county;
  let sources: string[] = [];
  if (!target) {
    const inCounty = recentStale.filter((r) => r.countyId === a.countyId);
    if (inCounty.length < settings.commMinDevices) return null;
    target = fresh(`c.${a.countyId}.${t}`, 'comm', t, a.countyId);
    sources = inCounty.map((r) => r.alertId).filter((id) => id !== a.id);
  }
  let r = join(state0, target, tagged(event, target.id), t);
  const grouped = moveSingletons(r, sources, target.id, t);
  // Enough counties failing at once: one region-wide incident takes in the county ones.
  const counties = [...r.state.incidents.values()].filter((i) => recent(i) && i.scope !== 'region');
  if (counties.length >= settings.regionMinCounties) {
    const regionId = `c.region.${t}`;
    const moved = counties.flatMap((i) => [...i.alerts.keys()]);
    const loose = recentStale.map((x) => x.alertId).filter((id) => !moved.includes(id));
    const alerts = counties.flatMap((i) => [...i.alerts.values()]);
    const incidents = new Map(r.state.incidents);
    for (const i of counties) incidents.delete(i.id);
    r = { ...r, state: { ...r.state, incidents } };
    const base = fresh(regionId, 'comm', Math.min(...counties.map((i) => i.openedAt)), 'region');
    const regionInc: OpenIncident = {
      ...base,
      sites: new Set(alerts.map((x) => x.siteId)),
      alerts: new Map(alerts.map((x) => [x.id, { ...x, incidentId: regionId }])),
      active: alerts.filter((x) => x.active).length,
      lastAt: t,
    };
    const byAlert = new Map(r.state.byAlert);
    for (const x of alerts) byAlert.set(x.id, regionId);
    r = { ...r, state: { ...r.state, incidents: incidents.set(regionId, regionInc), byAlert } };
    const regrouped = alerts
      .filter((x) => x.id !== a.id)
      .map((x) => groupedEvent({ ...x, incidentId: regionId }, t));
    grouped.splice(0, grouped.length, ...regrouped, ...moveSingletons(r, loose, regionId, t));
    r.event = tagged(r.event, regionId);
  }
  return { ...r, grouped };
}

function groupedEvent(alert: Alert, t: number): AlertEvent {
  return { type: 'grouped', at: new Date(t).toISOString(), alert, incidentId: alert.incidentId! };
}

/**
 * Moves alerts whose incident holds nothing but stale alerts (raised before enough others made this a
 * communication failure) into `to`, mutating `r` (freshly built by the caller); returns their `grouped` events.
 */
function moveSingletons(r: Assigned, alertIds: readonly string[], to: string, t: number): AlertEvent[] {
  const out: AlertEvent[] = [];
  const incidents = new Map(r.state.incidents);
  const byAlert = new Map(r.state.byAlert);
  let target = incidents.get(to)!;
  for (const id of alertIds) {
    const from = byAlert.get(id);
    const inc = from === undefined ? undefined : incidents.get(from);
    const alert = inc?.alerts.get(id);
    if (!inc || !alert || inc.id === to || inc.family === 'comm') continue;
    if (![...inc.alerts.values()].every((a) => a.kind === 'stale')) continue;
    const rest = new Map(inc.alerts);
    rest.delete(id);
    if (rest.size === 0) incidents.delete(inc.id);
    else
      incidents.set(inc.id, {
        ...inc,
        alerts: rest,
        active: Math.max(0, inc.active - (alert.active ? 1 : 0)),
      });
    const moved = { ...alert, incidentId: to };
    target = {
      ...target,
      sites: new Set(target.sites).add(alert.siteId),
      alerts: new Map(target.alerts).set(id, moved),
      active: target.active + (alert.active ? 1 : 0),
      openedAt: Math.min(target.openedAt, inc.openedAt),
    };
    byAlert.set(id, to);
    out.push(groupedEvent(moved, t));
  }
  incidents.set(to, target);
  r.state = { ...r.state, incidents, byAlert };
  return out;
}
