/** One page of alerts from alerts held in memory, with the filters and order of CONTRACT §7 (as the SQL of the embedded store). */
import type { Alert } from '../core/alert.js';
import { decodeCursor, encodeCursor } from './alert-cursor.js';
import type { AlertPage, AlertQuery } from './telemetry-store.js';

/** Newest `raisedAt` first, ties by id descending; a cursor continues after the alert it names. */
export function pageAlerts(alerts: Iterable<Alert>, q: AlertQuery): AlertPage {
  const after = q.cursor === undefined ? null : decodeCursor(q.cursor);
  const scope = q.counties === undefined ? null : new Set(q.counties);
  const picked: { a: Alert; t: number }[] = [];
  for (const a of alerts) {
    const t = Date.parse(a.raisedAt);
    if (q.active !== undefined && a.active !== q.active) continue;
    if (q.acknowledged !== undefined && a.acknowledged !== q.acknowledged) continue;
    if (q.severity !== undefined && a.severity !== q.severity) continue;
    if (q.countyId !== undefined && a.countyId !== q.countyId) continue;
    if (scope && !scope.has(a.countyId)) continue;
    if (q.deviceId !== undefined && a.deviceId !== q.deviceId) continue;
    if (q.since !== undefined && t < q.since) continue;
    if (q.suppressed !== undefined && (a.suppressed === true) !== q.suppressed) continue;
    if (after && !(t < after.raisedAt || (t === after.raisedAt && a.id < after.id))) continue;
    picked.push({ a, t });
  }
  picked.sort((x, y) => y.t - x.t || (x.a.id < y.a.id ? 1 : x.a.id > y.a.id ? -1 : 0));
  const items = picked.slice(0, q.limit).map((p) => p.a);
  const last = items[items.length - 1];
  return picked.length > q.limit && last ? { items, nextCursor: encodeCursor(last) } : { items };
}
