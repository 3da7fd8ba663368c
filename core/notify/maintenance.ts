/** Maintenance windows: while one covers an alert's site, scheme or device, its alerts notify nobody. */
import { z } from 'zod';
import type { Alert, AlertEvent } from '../alert.js';
import { Id } from '../ids.js';

export const MaintenanceScope = z.enum(['site', 'scheme', 'device']);
export type MaintenanceScope = z.infer<typeof MaintenanceScope>;

export const MaintenanceWindow = z.object({
  id: z.string(),
  scope: MaintenanceScope,
  /** The site, scheme or device id. */
  target: Id,
  /** The county it lies in, for scoping reads and writes like alerts. */
  countyId: Id,
  /** RFC 3339 UTC; the window is [startsAt, endsAt). */
  startsAt: z.iso.datetime(),
  endsAt: z.iso.datetime(),
  reason: z.string().optional(),
  createdBy: z.string(),
  createdAt: z.iso.datetime(),
});
export type MaintenanceWindow = z.infer<typeof MaintenanceWindow>;

/** Whether the window covers this alert raised at `at` (epoch ms): inside [startsAt, endsAt) and in scope. */
export function windowCovers(
  w: MaintenanceWindow,
  alert: Pick<Alert, 'siteId' | 'schemeId' | 'deviceId'>,
  at: number,
): boolean {
  if (at < Date.parse(w.startsAt) || at >= Date.parse(w.endsAt)) return false;
  if (w.scope === 'site') return alert.siteId === w.target;
  if (w.scope === 'scheme') return alert.schemeId === w.target;
  return alert.deviceId === w.target;
}

/** The first window covering the alert at `at`, if any. */
export function coveringWindow(
  windows: readonly MaintenanceWindow[],
  alert: Pick<Alert, 'siteId' | 'schemeId' | 'deviceId'>,
  at: number,
): MaintenanceWindow | undefined {
  return windows.find((w) => windowCovers(w, alert, at));
}

/**
 * Marks the `raised` events of alerts raised inside a maintenance window as `suppressed`, for ingest to
 * call before it writes them (the notifier then sends nothing for them). Other events pass unchanged.
 */
export function markSuppressed(
  events: readonly AlertEvent[],
  covered: (alert: Alert, at: number) => boolean,
): AlertEvent[] {
  return events.map((e) =>
    e.type === 'raised' && !e.alert.suppressed && covered(e.alert, Date.parse(e.alert.raisedAt))
      ? { ...e, alert: { ...e.alert, suppressed: true } }
      : e,
  );
}
