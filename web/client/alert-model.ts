/** The board's alerts: merging updates that may arrive out of order, filtering and ordering them. */
import type { Alert, AlertEvent } from '../../core/alert.js';

export type { Alert, AlertEvent };

export interface AlertFilter {
  /** `active`: only alerts still active; `recent`: everything raised in the last 24 h. */
  status: 'active' | 'recent';
  severity: '' | 'critical' | 'warning';
  ack: '' | 'yes' | 'no';
  county: string;
  q: string;
}

export const NO_FILTER: AlertFilter = { status: 'active', severity: '', ack: '', county: '', q: '' };
export const RECENT_MS = 24 * 3_600_000;

/**
 * The list, a replay after reconnecting and the live stream can each deliver an older state of an
 * alert after a newer one. States only move forward (CONTRACT §4: acknowledging and clearing are
 * one-way), so merging keeps the first acknowledgement and the first clearing whatever the order.
 */
export function mergeAlert(prev: Alert | undefined, next: Alert): Alert {
  if (!prev) return next;
  const acked = prev.acknowledged ? prev : next.acknowledged ? next : undefined;
  const cleared = !prev.active ? prev : !next.active ? next : undefined;
  return {
    ...prev,
    ...next,
    acknowledged: acked !== undefined,
    acknowledgedAt: acked?.acknowledgedAt,
    acknowledgedBy: acked?.acknowledgedBy,
    note: acked?.note,
    active: cleared === undefined,
    clearedAt: cleared?.clearedAt,
    // Who ended it by hand belongs to the snapshot that ended it.
    resolvedBy: cleared?.resolvedBy,
    resolutionNote: cleared?.resolutionNote,
  };
}

const SEVERITY_RANK = { critical: 0, warning: 1 } as const;

/** Most severe first, then newest first; the id breaks ties so the order is stable. */
export function compareAlerts(a: Alert, b: Alert): number {
  return (
    SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
    Date.parse(b.raisedAt) - Date.parse(a.raisedAt) ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

export function matches(
  a: Alert,
  f: AlertFilter,
  now: number,
  words: (a: Alert) => string[] = () => [],
): boolean {
  if (f.status === 'active' && !a.active) return false;
  if (f.status === 'recent' && Date.parse(a.raisedAt) < now - RECENT_MS) return false;
  if (f.severity && a.severity !== f.severity) return false;
  if (f.ack === 'yes' && !a.acknowledged) return false;
  if (f.ack === 'no' && a.acknowledged) return false;
  if (f.county && a.countyId !== f.county) return false;
  const q = f.q.trim().toLowerCase();
  if (q) {
    const haystack = [a.deviceId, a.siteId, a.schemeId, a.ruleId, a.message, ...words(a)];
    if (!haystack.some((s) => s.toLowerCase().includes(q))) return false;
  }
  return true;
}

export function visibleAlerts(
  all: Iterable<Alert>,
  f: AlertFilter,
  now: number,
  words?: (a: Alert) => string[],
): Alert[] {
  return [...all].filter((a) => matches(a, f, now, words)).sort(compareAlerts);
}

/** Reads an SSE `data` field as an AlertEvent, or null when it is not one (never trust the wire). */
export function parseAlertEvent(data: string): AlertEvent | null {
  try {
    const v = JSON.parse(data) as Partial<AlertEvent>;
    const a = v?.alert as Partial<Alert> | undefined;
    if (typeof v.type !== 'string' || !a || typeof a.id !== 'string' || typeof a.countyId !== 'string')
      return null;
    if (typeof a.raisedAt !== 'string' || (a.severity !== 'critical' && a.severity !== 'warning'))
      return null;
    return v as AlertEvent;
  } catch {
    return null;
  }
}
