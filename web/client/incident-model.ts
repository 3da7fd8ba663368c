/** The board's incidents: visible alerts grouped by their incidentId, ordered by their most pressing alert. */
import type { Alert } from '../../core/alert.js';

export interface IncidentGroup {
  id: string;
  /** Its visible alerts in board order (most severe, then newest, first). */
  alerts: Alert[];
}

/** Incidents of more alerts than this start folded, so hundreds of silent devices take one row. */
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

/** Whether an incident's alerts are listed: the operator's choice, else unfolded when it is small. */
export function isUnfolded(g: IncidentGroup, choice: ReadonlyMap<string, boolean>): boolean {
  return choice.get(g.id) ?? g.alerts.length <= UNFOLDED_MAX;
}
