/**
 * Communication incidents: many devices falling silent together (a county's mobile network, a power
 * cut, the platform's own uplink) are one incident per county, or one for the region when enough
 * counties fail at once, not hundreds of `stale` alerts.
 */
import type { Alert, AlertEvent } from '../alert.js';
import {
  type Assigned,
  drop,
  fresh,
  type IncidentState,
  join,
  type OpenIncident,
  tagged,
} from './incident-state.js';
import type { IncidentSettings } from './settings.js';

/** A stale alert that is part of many devices falling silent together, or null. */
export function communication(
  s: IncidentState,
  a: Alert,
  t: number,
  settings: IncidentSettings,
): Assigned | null {
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
