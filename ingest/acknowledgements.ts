/** Acknowledgements of active alerts, kept in memory so a clear is published with its acknowledgement without a store read. */
import type { Alert, AlertEvent } from '../core/alert.js';

type Acknowledged = Pick<Alert, 'acknowledgedAt' | 'acknowledgedBy' | 'note'>;

export interface Acknowledgements {
  /** An event from the API or another node; acknowledgements are remembered until their alert ends. */
  observe(event: AlertEvent): void;
  /** A `cleared` event carries the acknowledgement made meanwhile (the store merges the same way). */
  merge(event: AlertEvent): AlertEvent;
}

export function createAcknowledgements(active: readonly Alert[]): Acknowledgements {
  const byAlert = new Map<string, Acknowledged>();
  const remember = (a: Alert) => {
    if (!a.acknowledged || byAlert.has(a.id)) return; // the first acknowledgement stays (CONTRACT §7)
    byAlert.set(a.id, { acknowledgedAt: a.acknowledgedAt, acknowledgedBy: a.acknowledgedBy, note: a.note });
  };
  for (const a of active) remember(a);
  return {
    observe(event) {
      if (event.type === 'acknowledged') remember(event.alert);
      else if (!event.alert.active) byAlert.delete(event.alert.id);
    },
    merge(event) {
      if (event.type !== 'cleared') return event;
      const ack = byAlert.get(event.alert.id);
      if (!ack) return event;
      byAlert.delete(event.alert.id);
      return { ...event, alert: { ...event.alert, acknowledged: true, ...ack } };
    },
  };
}
