/** Alerts and their events (CONTRACT §4): what operators see, acknowledge and receive over MQTT. */
import { z } from 'zod';
import { MetricName, RuleId, Severity } from './registry-schema.js';

/** `lab`: a laboratory sample failed a GB 5749-2022 limit (rule `lab-<indicator>`, core/lab/). */
export const AlertKind = z.enum(['threshold', 'rate', 'stale', 'flatline', 'lab']);
export type AlertKind = z.infer<typeof AlertKind>;

/** A lab alert's rule: `lab-` and the indicator id of core/lab/limits.ts. */
export const LabRuleId = z.string().regex(/^lab-[a-z0-9-]{1,60}$/);

/** Times are RFC 3339 strings in UTC (CONTRACT §4). */
const Time = z.iso.datetime();

export const Alert = z.object({
  id: z.string(),
  ruleId: z.union([RuleId, LabRuleId]),
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
  value: z.number().optional(),
  limit: z.number().optional(),
  message: z.string(),
});
export type Alert = z.infer<typeof Alert>;

export const AlertEventType = z.enum(['raised', 'acknowledged', 'cleared']);
export type AlertEventType = z.infer<typeof AlertEventType>;

export const AlertEvent = z.object({
  type: AlertEventType,
  at: Time,
  alert: Alert,
});
export type AlertEvent = z.infer<typeof AlertEvent>;
