/** How well incidents group a fault's downstream alerts under the right root cause (part of the score). */
import type { FaultRecord } from './truth-record.js';

export interface GroupedAlert {
  id: string;
  siteId?: string;
  incidentId?: string;
}

export interface GroupingScore {
  /** Alerts a network fault caused at sites downstream of it. */
  downstream: number;
  /** Of those, the ones in the incident (with an acceptable root) holding most of them. */
  inRightIncident: number;
  share: number | null;
}

/**
 * For each network fault, its downstream alerts (those it explains, at sites it feeds) are looked up in
 * their incidents; the right incident is the one, among incidents whose root is an acceptable root site
 * of the fault, that holds most of them. An alert without an incident, or in another, counts against.
 */
export function scoreGrouping(
  per: readonly { f: FaultRecord; alerts: readonly GroupedAlert[] }[],
  roots: ReadonlyMap<string, string | undefined>,
): GroupingScore {
  let downstream = 0;
  let inRight = 0;
  for (const { f, alerts } of per) {
    const below = new Set(f.downstreamSites ?? []);
    const ok = new Set(f.rootSites ?? [f.siteId]);
    const mine = alerts.filter((a) => a.siteId !== undefined && below.has(a.siteId));
    if (mine.length === 0) continue;
    downstream += mine.length;
    const counts = new Map<string, number>();
    for (const a of mine) {
      if (a.incidentId === undefined) continue;
      const root = roots.get(a.incidentId);
      if (root === undefined || !ok.has(root)) continue;
      counts.set(a.incidentId, (counts.get(a.incidentId) ?? 0) + 1);
    }
    inRight += Math.max(0, ...counts.values());
  }
  return { downstream, inRightIncident: inRight, share: downstream > 0 ? inRight / downstream : null };
}
