/** How two snapshots of one alert combine, so an acknowledgement, a clear and a resolve never undo each other. */
import type { Alert } from './alert.js';

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
