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
import { communication } from './communication.js';
import {
  type Assigned,
  drop,
  emptyIncidents,
  ensureIndex,
  fresh,
  type IncidentState,
  join,
  networkOf,
  type OpenIncident,
  tagged,
} from './incident-state.js';
import { DEFAULT_INCIDENT_SETTINGS, familyOf, type IncidentSettings } from './settings.js';
import { commonAncestor, type Topology } from './topology.js';

export {
  type Assigned,
  emptyIncidents,
  type IncidentState,
  networkOf,
  type OpenIncident,
} from './incident-state.js';

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
