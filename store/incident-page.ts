/** Incidents from alerts held in memory: grouped by incident id, filtered and paged newest-opened first (both adapters). */
import type { Alert } from '../core/alert.js';
import { incidentOf } from '../core/incidents/settings.js';
import { BadCursorError } from './alert-cursor.js';
import type { IncidentGroup, IncidentPage, IncidentQuery } from './telemetry-store.js';

/** The opaque cursor of incident pages: the (openedAt, id) of the last incident returned. */
function encode(g: IncidentGroup): string {
  return Buffer.from(JSON.stringify([openedAt(g), g.id])).toString('base64url');
}

/** The (openedAt, id) an incident page's cursor names; a cursor not issued here is a BadCursorError. */
export function decodeIncidentCursor(cursor: string): { at: number; id: string } {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof at === 'number' && typeof id === 'string') return { at, id };
  } catch {
    // fall through
  }
  throw new BadCursorError(cursor);
}

const openedAt = (g: IncidentGroup) => Math.min(...g.alerts.map((a) => Date.parse(a.raisedAt)));

/** The caller's scope applies to alerts: an operator sees the part of a region-wide incident in its counties. */
export function groupIncidents(alerts: Iterable<Alert>, counties?: readonly string[]): Map<string, Alert[]> {
  const scope = counties === undefined ? null : new Set(counties);
  const groups = new Map<string, Alert[]>();
  for (const a of alerts) {
    if (scope && !scope.has(a.countyId)) continue;
    const id = incidentOf(a);
    const list = groups.get(id);
    if (list) list.push(a);
    else groups.set(id, [a]);
  }
  return groups;
}

/**
 * Newest `openedAt` (its first alert's raisedAt) first, ties by id descending. An incident is active
 * while any alert is; its severity is its highest; it is in a county when any of its alerts is.
 */
export function pageIncidents(alerts: Iterable<Alert>, q: IncidentQuery): IncidentPage {
  const after = q.cursor === undefined ? null : decodeIncidentCursor(q.cursor);
  const picked: { g: IncidentGroup; t: number }[] = [];
  for (const [id, list] of groupIncidents(alerts, q.counties)) {
    const g: IncidentGroup = {
      id,
      alerts: list.sort((a, b) => Date.parse(a.raisedAt) - Date.parse(b.raisedAt) || (a.id < b.id ? -1 : 1)),
    };
    const t = openedAt(g);
    if (q.active !== undefined && list.some((a) => a.active) !== q.active) continue;
    if (q.severity !== undefined) {
      const critical = list.some((a) => a.severity === 'critical');
      if ((q.severity === 'critical') !== critical) continue;
    }
    if (q.countyId !== undefined && !list.some((a) => a.countyId === q.countyId)) continue;
    if (q.since !== undefined && t < q.since) continue;
    if (after && !(t < after.at || (t === after.at && id < after.id))) continue;
    picked.push({ g, t });
  }
  picked.sort((x, y) => y.t - x.t || (x.g.id < y.g.id ? 1 : x.g.id > y.g.id ? -1 : 0));
  const items = picked.slice(0, q.limit).map((p) => p.g);
  const last = items[items.length - 1];
  return picked.length > q.limit && last ? { items, nextCursor: encode(last) } : { items };
}
