/**
 * The alerts this process wrote or read lately, newest used last, at most `max`: each write merges its
 * event into the last state it knows (core/alert-merge.ts) without reading the store first. Losing one is
 * safe: the next write of that alert starts from the event's own snapshot, and the state point's one-way
 * fields (alert-state.ts) keep what other writers set.
 */
import type { Alert } from '../../core/alert.js';

export interface HeldAlerts {
  get(id: string): Alert | undefined;
  put(alert: Alert): void;
  size(): number;
}

export function createHeldAlerts(max: number): HeldAlerts {
  const held = new Map<string, Alert>();
  return {
    get: (id) => held.get(id),
    put(alert) {
      held.delete(alert.id);
      held.set(alert.id, alert);
      while (held.size > max) {
        const oldest = held.keys().next().value;
        if (oldest === undefined) break;
        held.delete(oldest);
      }
    },
    size: () => held.size,
  };
}
