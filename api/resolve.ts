/** Resolving an alert by hand: an active alert ends, recording who and why, and the rule is told to forget it. */
import type { Alert, AlertEvent } from '../core/alert.js';
import { isoTime } from '../core/time.js';
import type { TelemetryStore } from '../store/telemetry-store.js';
import { type Serial, serialize } from './serialize.js';

export interface ResolveDeps {
  store: TelemetryStore;
  clock: () => number;
  /** Publishes the event on `wl/v1/alerts/{county}` when the API has a broker connection. */
  publish?: (e: AlertEvent) => void;
  /** Told once the event is durable, so the alert's rule can raise anew on the next breach. */
  resolved?: (alert: Alert) => void;
  /** Shared with acknowledge (see there). */
  serial?: Serial;
}

export type ResolveResult =
  | { ok: true; alert: Alert }
  /** Not active any more: cleared by its rule, or resolved already (the current alert says which). */
  | { ok: false; alert: Alert };

export type Resolve = (
  alertId: string,
  by: string,
  note: string,
  /** Runs on the current alert before anything changes: throws to refuse (scope). */
  authorize: (alert: Alert) => void,
) => Promise<ResolveResult | null>;

export function createResolver(deps: ResolveDeps): Resolve {
  // Resolves (and acks) of one alert run one after another in this process, so a double click cannot
  // append two events; across processes the store's merge keeps the first end (core/alert-merge.ts).
  const run = deps.serial ?? serialize();

  async function resolve(
    id: string,
    by: string,
    note: string,
    authorize: (a: Alert) => void,
  ): Promise<ResolveResult | null> {
    const found = await deps.store.getAlert(id);
    if (!found) return null;
    authorize(found.alert);
    if (!found.alert.active) return { ok: false, alert: found.alert };
    const at = isoTime(Math.max(deps.clock(), Date.parse(found.alert.raisedAt)));
    const event: AlertEvent = {
      type: 'resolved',
      at,
      alert: { ...found.alert, active: false, clearedAt: at, resolvedBy: by, resolutionNote: note },
    };
    await deps.store.appendAlertEvents([event]);
    const merged = (await deps.store.getAlert(id))?.alert ?? event.alert;
    // Another writer ended it between our read and our write: its end stands, and so does the answer.
    if (merged.resolvedBy !== by || merged.clearedAt !== at) return { ok: false, alert: merged };
    deps.resolved?.(merged);
    deps.publish?.({ ...event, alert: merged });
    return { ok: true, alert: merged };
  }

  return (id, by, note, authorize) => run(id, () => resolve(id, by, note, authorize));
}
