/** The board's incidents: visible alerts grouped by their incidentId, ordered by their most pressing alert. */
import type { Alert } from '../../core/alert.js';

export interface IncidentGroup {
  id: string;
  /** Its visible alerts in board order (most severe, then newest, first). */
  alerts: Alert[];
}

/** Incidents spanning more devices than this start folded (a burst seen by many), as communication incidents do. */
export const UNFOLDED_MAX = 3;

export const incidentIdOf = (a: Alert): string => a.incidentId ?? `i.${a.id}`;

/** `shown` is already in board order; each group takes the place of its first alert. */
export function groupIncidents(shown: readonly Alert[]): IncidentGroup[] {
  const groups = new Map<string, IncidentGroup>();
  for (const a of shown) {
    const id = incidentIdOf(a);
    const g = groups.get(id);
    if (g) g.alerts.push(a);
    else groups.set(id, { id, alerts: [a] });
  }
  return [...groups.values()];
}

/**
 * Whether an incident's alerts are listed: the operator's choice, else unfolded when few devices are
 * involved (one works raising several alerts stays open); many silent devices take one folded row.
 */
export function isUnfolded(g: IncidentGroup, choice: ReadonlyMap<string, boolean>): boolean {
  const chosen = choice.get(g.id);
  if (chosen !== undefined) return chosen;
  if (g.id.startsWith('c.')) return false;
  return new Set(g.alerts.map((a) => a.deviceId)).size <= UNFOLDED_MAX;
}
