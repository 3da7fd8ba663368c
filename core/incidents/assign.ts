/**
 * Incident grouping as a state machine over AlertEvents: `assign(state, event, topology)` gives the
 * event its `incidentId`, and `grouped` events for alerts moved into a communication incident.
 *
 * The work per event is proportional to the alerts it can be connected to, not to every open
 * incident: hydraulic and quality incidents are indexed by the network (the topmost upstream site) of
 * each of their sites, since two sites have a common upstream site exactly when their networks are
 * the same; communication incidents by their county (or `region`). The state is updated in place
 * (a caller keeps only the newest), so no map is copied per event.
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
  sites: Set<string>;
  /** The incident's alerts as last seen, by id (kept so they can be moved with a `grouped` event). */
  alerts: Map<string, Alert>;
  active: number;
  openedAt: number;
  lastAt: number;
}

export interface IncidentState {
  incidents: Map<string, OpenIncident>;
  /** Incident of every alert the state knows. */
  byAlert: Map<string, string>;
  /** Active alerts per site: a monitored site with an alert joins the alerts it feeds. */
  alerting: Map<string, number>;
  /** Stale alerts of the last `commGapMs`, oldest first. */
  recentStale: { alertId: string; countyId: string; deviceId: string; at: number }[];
  /** Hydraulic and quality incidents by the network of each of their sites (see `networkOf`). */
  byNetwork: Map<string, Set<string>>;
  /** The topology `byNetwork` was built for: another one (a registry reload, a restore) rebuilds it. */
  indexedFor: Topology | null;
  /** The newest communication incident of each scope (a county id or `region`). */
  comm: Map<string, string>;
  /** Incidents left with no active alert, about oldest first: forgotten once nothing can join them. */
  idle: { id: string; lastAt: number }[];
}

export interface Assigned {
  state: IncidentState;
  /** The event with `incidentId` set on it and on its alert. */
  event: AlertEvent;
  /** Alerts moved into another incident, as `grouped` events (to store and publish after `event`). */
  grouped: AlertEvent[];
}

export function emptyIncidents(): IncidentState {
  return {
    incidents: new Map(),
    byAlert: new Map(),
    alerting: new Map(),
    recentStale: [],
    byNetwork: new Map(),
    indexedFor: null,
    comm: new Map(),
    idle: [],
  };
}

const tagged = (e: AlertEvent, incidentId: string): AlertEvent => ({
  ...e,
  alert: { ...e.alert, incidentId },
  incidentId,
});

/** Updates `state` in place and returns it with the tagged event. */
export function assign(
  state: IncidentState,
  event: AlertEvent,
  topology: Topology,
  settings: IncidentSettings = DEFAULT_INCIDENT_SETTINGS,
): Assigned {
  const t = Date.parse(event.at);
  ensureIndex(state, topology);
  prune(state, t, settings);
  if (event.type === 'raised') return raise(state, event, t, topology, settings);
  const incidentId = state.byAlert.get(event.alert.id) ?? event.alert.incidentId;
  if (incidentId === undefined) return { state, event, grouped: [] };
  const out = tagged(event, incidentId);
  if (event.type !== 'cleared') return { state, event: out, grouped: [] };
  const inc = state.incidents.get(incidentId);
  if (inc?.alerts.has(event.alert.id)) {
    inc.alerts.set(event.alert.id, out.alert);
    inc.active = Math.max(0, inc.active - 1);
    inc.lastAt = Math.max(inc.lastAt, t);
    if (inc.active === 0) state.idle.push({ id: inc.id, lastAt: inc.lastAt });
  }
  const n = (state.alerting.get(event.alert.siteId) ?? 1) - 1;
  if (n > 0) state.alerting.set(event.alert.siteId, n);
  else state.alerting.delete(event.alert.siteId);
  return { state, event: out, grouped: [] };
}

/** Rebuilds the state after a restart from the store's active alerts and their incident ids. */
export function restoreIncidents(active: readonly Alert[]): IncidentState {
  const state = emptyIncidents();
  const sorted = [...active]
    .filter((a) => a.active)
    .sort((a, b) => Date.parse(a.raisedAt) - Date.parse(b.raisedAt));
  for (const a of sorted) {
    const id = a.incidentId ?? `i.${a.id}`;
    const at = Date.parse(a.raisedAt);
    let inc = state.incidents.get(id);
    if (!inc) {
      const comm = id.startsWith('c.');
      inc = fresh(id, comm ? 'comm' : familyOf(a), at, comm ? id.split('.')[1] : undefined);
      state.incidents.set(id, inc);
      if (inc.scope !== undefined) state.comm.set(inc.scope, id);
    }
    inc.sites.add(a.siteId);
    inc.alerts.set(a.id, a);
    inc.active++;
    inc.lastAt = Math.max(inc.lastAt, at);
    state.byAlert.set(a.id, id);
    state.alerting.set(a.siteId, (state.alerting.get(a.siteId) ?? 0) + 1);
  }
  // Indexed by network at the first event, when the topology is known.
  return state;
}

// --- the network index ----------------------------------------------------------------------------

const networks = new WeakMap<Topology, Map<string, string | null>>();

/**
 * The topmost site upstream of `siteId` (in a cycle, its smallest id), or null for a site the topology
 * does not know. Two sites have a common upstream site (`commonAncestor`) exactly when this is the same.
 */
export function networkOf(t: Topology, siteId: string): string | null {
  let cache = networks.get(t);
  if (!cache) {
    cache = new Map();
    networks.set(t, cache);
  }
  const known = cache.get(siteId);
  if (known !== undefined) return known;
  const chain: string[] = [];
  const seen = new Set<string>();
  let at: string | undefined = siteId;
  while (at !== undefined && t.sites.has(at) && !seen.has(at)) {
    chain.push(at);
    seen.add(at);
    at = t.sites.get(at)?.upstream;
  }
  let root: string | null = chain.at(-1) ?? null;
  if (at !== undefined && seen.has(at)) root = chain.slice(chain.indexOf(at)).sort()[0]!;
  cache.set(siteId, root);
  return root;
}

const indexed = (inc: OpenIncident) => inc.family === 'hydraulic' || inc.family === 'quality';

function indexSite(s: IncidentState, inc: OpenIncident, site: string): void {
  if (!indexed(inc) || s.indexedFor === null) return;
  const net = networkOf(s.indexedFor, site);
  if (net === null) return;
  let ids = s.byNetwork.get(net);
  if (!ids) {
    ids = new Set();
    s.byNetwork.set(net, ids);
  }
  ids.add(inc.id);
}

function ensureIndex(s: IncidentState, topology: Topology): void {
  if (s.indexedFor === topology) return;
  s.indexedFor = topology;
  s.byNetwork = new Map();
  for (const inc of s.incidents.values()) for (const site of inc.sites) indexSite(s, inc, site);
}

/** Forgets an incident and its alerts' places in the indexes. */
function drop(s: IncidentState, inc: OpenIncident): void {
  s.incidents.delete(inc.id);
  if (inc.scope !== undefined && s.comm.get(inc.scope) === inc.id) s.comm.delete(inc.scope);
  if (!indexed(inc) || s.indexedFor === null) return;
  for (const site of inc.sites) {
    const net = networkOf(s.indexedFor, site);
    const ids = net === null ? undefined : s.byNetwork.get(net);
    ids?.delete(inc.id);
    if (ids?.size === 0) s.byNetwork.delete(net!);
  }
}

// --- forgetting -----------------------------------------------------------------------------------

/** Forgets incidents with no active alert once nothing more can join them, and old stale raises. */
function prune(s: IncidentState, t: number, settings: IncidentSettings): void {
  const keep = Math.max(settings.hydraulicWindowMs, settings.qualityWindowMs, settings.commGapMs);
  while (s.idle.length > 0 && t - s.idle[0]!.lastAt > keep) {
    const { id } = s.idle.shift()!;
    const inc = s.incidents.get(id);
    // Active again (it is queued anew when it next goes idle), or joined since: not yet.
    if (!inc || inc.active > 0) continue;
    if (t - inc.lastAt <= keep) s.idle.push({ id, lastAt: inc.lastAt });
    else {
      drop(s, inc);
      for (const alertId of inc.alerts.keys()) s.byAlert.delete(alertId);
    }
  }
  const first = s.recentStale[0];
  if (first && t - first.at > settings.commGapMs)
    s.recentStale = s.recentStale.filter((r) => t - r.at <= settings.commGapMs);
}

// --- raising --------------------------------------------------------------------------------------

function raise(
  s: IncidentState,
  event: AlertEvent,
  t: number,
  topology: Topology,
  settings: IncidentSettings,
): Assigned {
  const a = event.alert;
  if (a.kind === 'stale') {
    s.recentStale.push({ alertId: a.id, countyId: a.countyId, deviceId: a.deviceId, at: t });
    const comm = communication(s, a, t, settings);
    if (comm) return comm;
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

/** The earlier opened of two incidents (by id when opened at the same moment). */
const earlier = (a: OpenIncident | undefined, b: OpenIncident): boolean =>
  !a || b.openedAt < a.openedAt || (b.openedAt === a.openedAt && b.id < a.id);

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
  const net = family === 'device' ? null : networkOf(topology, a.siteId);
  // Only incidents with a site in the same network can be connected to this one.
  const candidates: OpenIncident[] = [];
  for (const id of (net === null ? undefined : s.byNetwork.get(net)) ?? []) {
    const inc = s.incidents.get(id);
    if (inc) candidates.push(inc);
  }
  const window = family === 'quality' ? settings.qualityWindowMs : settings.hydraulicWindowMs;
  for (const inc of candidates) {
    if (inc.family !== family) continue;
    if (inc.active === 0 && t - inc.lastAt > window) continue;
    if (family === 'hydraulic' && t - inc.lastAt > window && t - inc.openedAt > settings.qualityWindowMs)
      continue;
    if (!connected(s, topology, a.siteId, inc)) continue;
    if (earlier(target, inc)) target = inc;
  }
  // Water standing or flowing backwards changes its quality: with no quality incident to join, a
  // quality alert joins an active hydraulic one it is connected to (an outage, a burst), never the reverse.
  if (!target && family === 'quality') {
    for (const inc of candidates) {
      if (inc.family !== 'hydraulic' || inc.active === 0 || !connected(s, topology, a.siteId, inc)) continue;
      if (earlier(target, inc)) target = inc;
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

/** Adds a raised (tagged) alert to an incident, a new one included. */
function join(s: IncidentState, inc: OpenIncident, event: AlertEvent, t: number): Assigned {
  const a = event.alert;
  if (!s.incidents.has(inc.id)) {
    s.incidents.set(inc.id, inc);
    if (inc.scope !== undefined) s.comm.set(inc.scope, inc.id);
  }
  if (!inc.sites.has(a.siteId)) {
    inc.sites.add(a.siteId);
    indexSite(s, inc, a.siteId);
  }
  inc.alerts.set(a.id, a);
  inc.active++;
  inc.lastAt = Math.max(inc.lastAt, t);
  s.byAlert.set(a.id, inc.id);
  s.alerting.set(a.siteId, (s.alerting.get(a.siteId) ?? 0) + 1);
  return { state: s, event, grouped: [] };
}

/** A stale alert that is part of many devices falling silent together, or null. */
function communication(s: IncidentState, a: Alert, t: number, settings: IncidentSettings): Assigned | null {
  const recent = (id: string | undefined): OpenIncident | undefined => {
    const inc = id === undefined ? undefined : s.incidents.get(id);
    return inc && inc.family === 'comm' && t - inc.lastAt <= settings.commGapMs ? inc : undefined;
  };
  const event: AlertEvent = { type: 'raised', at: new Date(t).toISOString(), alert: a };
  const region = recent(s.comm.get('region'));
  if (region) return join(s, region, tagged(event, region.id), t);

  let target = recent(s.comm.get(a.countyId));
  let sources: string[] = [];
  if (!target) {
    const inCounty = s.recentStale.filter((r) => r.countyId === a.countyId);
    // Devices, not alerts: one silent device may raise both offline and stale.
    if (new Set(inCounty.map((r) => r.deviceId)).size < settings.commMinDevices) return null;
    target = fresh(`c.${a.countyId}.${t}`, 'comm', t, a.countyId);
    sources = inCounty.map((r) => r.alertId).filter((id) => id !== a.id);
  }
  const r = join(s, target, tagged(event, target.id), t);
  const grouped = moveSingletons(s, sources, target.id, t);
  // Enough counties failing at once: one region-wide incident takes in the county ones.
  const counties: OpenIncident[] = [];
  for (const [scope, id] of s.comm) {
    const inc = scope === 'region' ? undefined : recent(id);
    if (inc) counties.push(inc);
  }
  if (counties.length < settings.regionMinCounties) return { ...r, grouped };

  const regionId = `c.region.${t}`;
  const alerts = counties.flatMap((i) => [...i.alerts.values()]);
  const moved = new Set(alerts.map((x) => x.id));
  const loose = s.recentStale.map((x) => x.alertId).filter((id) => !moved.has(id));
  for (const i of counties) drop(s, i);
  const regionInc = fresh(regionId, 'comm', Math.min(...counties.map((i) => i.openedAt)), 'region');
  regionInc.lastAt = t;
  for (const x of alerts) {
    regionInc.sites.add(x.siteId);
    regionInc.alerts.set(x.id, { ...x, incidentId: regionId });
    if (x.active) regionInc.active++;
    s.byAlert.set(x.id, regionId);
  }
  s.incidents.set(regionId, regionInc);
  s.comm.set('region', regionId);
  const regrouped = alerts
    .filter((x) => x.id !== a.id)
    .map((x) => groupedEvent({ ...x, incidentId: regionId }, t));
  return {
    state: s,
    event: tagged(r.event, regionId),
    grouped: [...regrouped, ...moveSingletons(s, loose, regionId, t)],
  };
}

function groupedEvent(alert: Alert, t: number): AlertEvent {
  return { type: 'grouped', at: new Date(t).toISOString(), alert, incidentId: alert.incidentId! };
}

/**
 * Moves alerts whose incident holds nothing but stale alerts (raised before enough others made this a
 * communication failure) into `to`; returns their `grouped` events.
 */
function moveSingletons(s: IncidentState, alertIds: readonly string[], to: string, t: number): AlertEvent[] {
  const out: AlertEvent[] = [];
  const target = s.incidents.get(to)!;
  for (const id of alertIds) {
    const from = s.byAlert.get(id);
    const inc = from === undefined ? undefined : s.incidents.get(from);
    const alert = inc?.alerts.get(id);
    if (!inc || !alert || inc.id === to || inc.family === 'comm') continue;
    if (![...inc.alerts.values()].every((x) => x.kind === 'stale')) continue;
    inc.alerts.delete(id);
    if (alert.active) inc.active = Math.max(0, inc.active - 1);
    if (inc.alerts.size === 0) drop(s, inc);
    else if (inc.active === 0) s.idle.push({ id: inc.id, lastAt: inc.lastAt });
    const moved = { ...alert, incidentId: to };
    target.sites.add(alert.siteId);
    target.alerts.set(id, moved);
    if (alert.active) target.active++;
    target.openedAt = Math.min(target.openedAt, inc.openedAt);
    s.byAlert.set(id, to);
    out.push(groupedEvent(moved, t));
  }
  return out;
}
