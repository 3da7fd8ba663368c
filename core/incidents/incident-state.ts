/**
 * The incident tracker's state and the steps every kind of grouping shares: making an incident, adding
 * an alert to it, forgetting it, and the network index (hydraulic and quality incidents by the topmost
 * upstream site of each of their sites). Updated in place: a caller keeps only the newest.
 */
import type { Alert, AlertEvent } from '../alert.js';
import type { Family } from './settings.js';
import type { Topology } from './topology.js';

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

export const tagged = (e: AlertEvent, incidentId: string): AlertEvent => ({
  ...e,
  alert: { ...e.alert, incidentId },
  incidentId,
});

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

export function ensureIndex(s: IncidentState, topology: Topology): void {
  if (s.indexedFor === topology) return;
  s.indexedFor = topology;
  s.byNetwork = new Map();
  for (const inc of s.incidents.values()) for (const site of inc.sites) indexSite(s, inc, site);
}

/** Forgets an incident and its alerts' places in the indexes. */
export function drop(s: IncidentState, inc: OpenIncident): void {
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

export function fresh(id: string, family: OpenIncident['family'], t: number, scope?: string): OpenIncident {
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
export function join(s: IncidentState, inc: OpenIncident, event: AlertEvent, t: number): Assigned {
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
