/** How two snapshots of one alert combine, so an acknowledgement, a clear and a resolve never undo each other. */
import type { Alert, AlertEvent } from './alert.js';

/**
 * Acknowledged and cleared are one-way: whichever writer sets them first wins their fields, and a
 * later snapshot from a writer that had not yet seen them (ingest clearing an alert the API just
 * acknowledged) cannot take them back. Other fields come from the newer snapshot.
 */
export function mergeAlert(old: Alert, next: Alert): Alert {
  const merged: Alert = { ...old, ...next };
  if (old.acknowledged) {
    merged.acknowledged = true;
    merged.acknowledgedAt = old.acknowledgedAt;
    merged.acknowledgedBy = old.acknowledgedBy;
    merged.note = old.note;
  }
  if (!old.active) {
    // Whoever ended it first says how: a resolve landing after ingest's clear does not claim it, and
    // ingest's clear landing after a resolve does not erase who resolved it and why.
    merged.active = false;
    merged.clearedAt = old.clearedAt;
    merged.resolvedBy = old.resolvedBy;
    merged.resolutionNote = old.resolutionNote;
  }
  for (const k of Object.keys(merged) as (keyof Alert)[]) if (merged[k] === undefined) delete merged[k];
  return merged;
}

/** Event types that only record history (notification attempts): they never change the alert's state. */
const HISTORY_ONLY = new Set<string>(['notified', 'notify-failed']);

/** Whether an event can change its alert's state (a notification attempt never does). */
export const changesState = (e: AlertEvent): boolean => !HISTORY_ONLY.has(e.type);

/**
 * The state after one stored event. A notification event carries a snapshot of the alert as the notifier
 * saw it, which may be older than the state (an acknowledgement since): it must not bring old fields back.
 * A `suppressed` event only sets the flag, whatever else its snapshot says.
 */
export function applyAlertEvent(old: Alert | undefined, e: AlertEvent): Alert {
  if (!old) return e.alert;
  if (HISTORY_ONLY.has(e.type)) return old;
  if (e.type === 'suppressed') return { ...old, suppressed: true };
  return mergeAlert(old, e.alert);
}
