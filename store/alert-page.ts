/** One page of alerts from alerts held in memory, with the filters and order of CONTRACT §7 (as the SQL of the embedded store). */
import type { Alert } from '../core/alert.js';
import { decodeCursor, encodeCursor } from './alert-cursor.js';
import type { AlertPage, AlertQuery } from './telemetry-store.js';

/**
 * Whether an alert passes the query's filters and comes after its cursor: what a page may hold. Shared
 * with adapters that read alerts in chunks and stop once a page is full (the InfluxDB alert state).
 */
export function alertFilter(q: AlertQuery): (a: Alert) => boolean {
  const after = q.cursor === undefined ? null : decodeCursor(q.cursor);
  const scope = q.counties === undefined ? null : new Set(q.counties);
  return (a) => {
    const t = Date.parse(a.raisedAt);
    if (q.active !== undefined && a.active !== q.active) return false;
    if (q.acknowledged !== undefined && a.acknowledged !== q.acknowledged) return false;
    if (q.severity !== undefined && a.severity !== q.severity) return false;
    if (q.countyId !== undefined && a.countyId !== q.countyId) return false;
    if (scope && !scope.has(a.countyId)) return false;
    if (q.deviceId !== undefined && a.deviceId !== q.deviceId) return false;
    if (q.since !== undefined && t < q.since) return false;
    if (q.suppressed !== undefined && (a.suppressed === true) !== q.suppressed) return false;
    if (after && !(t < after.raisedAt || (t === after.raisedAt && a.id < after.id))) return false;
    return true;
  };
}

/** Newest `raisedAt` first, ties by id descending; a cursor continues after the alert it names. */
export function pageAlerts(alerts: Iterable<Alert>, q: AlertQuery): AlertPage {
  const keep = alertFilter(q);
  const picked: { a: Alert; t: number }[] = [];
  for (const a of alerts) if (keep(a)) picked.push({ a, t: Date.parse(a.raisedAt) });
  picked.sort((x, y) => y.t - x.t || (x.a.id < y.a.id ? 1 : x.a.id > y.a.id ? -1 : 0));
  const items = picked.slice(0, q.limit).map((p) => p.a);
  const last = items[items.length - 1];
  return picked.length > q.limit && last ? { items, nextCursor: encodeCursor(last) } : { items };
}
