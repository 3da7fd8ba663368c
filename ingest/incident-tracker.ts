/** Ingest's incident tracker: the pure grouping state machine over the live stream of AlertEvents, topology per registry version. */
import type { Alert, AlertEvent } from '../core/alert.js';
import { assign, emptyIncidents, type IncidentState, restoreIncidents } from '../core/incidents/assign.js';
import { DEFAULT_INCIDENT_SETTINGS, type IncidentSettings } from '../core/incidents/settings.js';
import { type Topology, topologyOf } from '../core/incidents/topology.js';
import type { Registry } from '../core/registry.js';

export interface IncidentTracker {
  /** The events with their `incidentId`, each followed by the `grouped` events it caused. */
  assign(events: readonly AlertEvent[]): AlertEvent[];
  /** After a restart: incidents of the store's active alerts. */
  restore(active: readonly Alert[]): void;
}

export function createIncidentTracker(
  registry: () => Registry,
  settings: IncidentSettings = DEFAULT_INCIDENT_SETTINGS,
): IncidentTracker {
  let state: IncidentState = emptyIncidents();
  const current = (): Topology => topologyOf(registry());
  return {
    assign(events) {
      if (events.length === 0) return [];
      const t = current();
      const out: AlertEvent[] = [];
      for (const e of events) {
        const r = assign(state, e, t, settings);
        state = r.state;
        out.push(r.event, ...r.grouped);
      }
      return out;
    },
    restore(active) {
      state = restoreIncidents(active);
    },
  };
}
