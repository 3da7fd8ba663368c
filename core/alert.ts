/** Alerts and their events (CONTRACT §4): what operators see, acknowledge and receive over MQTT. */
import { z } from 'zod';
import { MetricName, RuleId, Severity } from './registry-schema.js';

export const AlertKind = z.enum(['threshold', 'rate', 'stale', 'flatline']);
export type AlertKind = z.infer<typeof AlertKind>;

/** Times are RFC 3339 strings in UTC (CONTRACT §4). */
const Time = z.iso.datetime();

export const Alert = z.object({
  id: z.string(),
  ruleId: RuleId,
  kind: AlertKind,
  metric: MetricName.optional(),
  deviceId: z.string(),
  siteId: z.string(),
  schemeId: z.string(),
  countyId: z.string(),
  severity: Severity,
  active: z.boolean(),
  acknowledged: z.boolean(),
  raisedAt: Time,
  clearedAt: Time.optional(),
  acknowledgedAt: Time.optional(),
  acknowledgedBy: z.string().optional(),
  note: z.string().optional(),
  /** Set when a person ended the alert by hand (event `resolved`): who, and why. */
  resolvedBy: z.string().optional(),
  resolutionNote: z.string().optional(),
  value: z.number().optional(),
  limit: z.number().optional(),
  message: z.string(),
});
export type Alert = z.infer<typeof Alert>;

/** `resolved`: a person ended an active alert by hand (it is then cleared, with who and why). */
export const AlertEventType = z.enum(['raised', 'acknowledged', 'cleared', 'resolved']);
export type AlertEventType = z.infer<typeof AlertEventType>;

/**
 * Why an alert was cleared other than by its device's Readings: its rule is no longer in force for the
 * device (disabled, or no longer applying after a registry change), or the device left the registry.
 */
export const ClearReason = z.enum(['rule-disabled', 'device-removed']);
export type ClearReason = z.infer<typeof ClearReason>;

export const AlertEvent = z.object({
  type: AlertEventType,
  at: Time,
  alert: Alert,
  reason: ClearReason.optional().meta({
    description:
      'on a cleared event not caused by Readings: rule-disabled (the rule no longer applies to the device) or device-removed (the device left the registry)',
  }),
});
export type AlertEvent = z.infer<typeof AlertEvent>;
