/** Acknowledging an alert: once, by whom, with a note; a repeat changes nothing and emits no event. */
import type { Alert, AlertEvent } from '../core/alert.js';
import { isoTime } from '../core/time.js';
import type { TelemetryStore } from '../store/telemetry-store.js';
import { type Serial, serialize } from './serialize.js';

export interface AcknowledgeDeps {
  store: TelemetryStore;
  clock: () => number;
  /** Publishes the event on `wl/v1/alerts/{county}` when the API has a broker connection. */
  publish?: (e: AlertEvent) => void;
  /** Runs changes of one alert one after another; shared with resolve, so an ack and a resolve never interleave. */
  serial?: Serial;
}

export interface AckResult {
  alert: Alert;
  /** False when it was already acknowledged. */
  changed: boolean;
}

export type Acknowledge = (
  alertId: string,
  by: string,
  note: string | undefined,
  /** Runs on the current alert before anything changes: throws to refuse (scope). */
  authorize: (alert: Alert) => void,
) => Promise<AckResult | null>;

export function createAcknowledger(deps: AcknowledgeDeps): Acknowledge {
  // Acks of one alert run one after another in this process, so two clicks cannot both append an event.
  // The store's merge keeps the first acknowledgement even across API instances (core/alert-merge.ts).
  const run = deps.serial ?? serialize();

  async function ack(
    id: string,
    by: string,
    note: string | undefined,
    authorize: (a: Alert) => void,
  ): Promise<AckResult | null> {
    const found = await deps.store.getAlert(id);
    if (!found) return null;
    authorize(found.alert);
    if (found.alert.acknowledged) return { alert: found.alert, changed: false };
    const at = isoTime(deps.clock());
    const { note: _old, ...rest } = found.alert;
    const event: AlertEvent = {
      type: 'acknowledged',
      at,
      alert: {
        ...rest,
        acknowledged: true,
        acknowledgedAt: at,
        acknowledgedBy: by,
        ...(note ? { note } : {}),
      },
    };
    await deps.store.appendAlertEvents([event]);
    const merged = (await deps.store.getAlert(id))?.alert ?? event.alert;
    deps.publish?.({ ...event, alert: merged });
    return { alert: merged, changed: true };
  }

  return (id, by, note, authorize) => run(id, () => ack(id, by, note, authorize));
}
