/** Alerts and their events (CONTRACT §4): what operators see, acknowledge and receive over MQTT. */
import { z } from 'zod';
import { MetricName, RuleId, Severity } from './registry-schema.js';

/** `operational`: plant outage, burst, chlorine demand; `anomaly`: statistical detection (quality-anomaly). */
export const AlertKind = z.enum(['threshold', 'rate', 'stale', 'flatline', 'operational', 'anomaly']);
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
  value: z.number().optional(),
  limit: z.number().optional(),
  message: z.string(),
  /** The incident (root cause) the alert belongs to: alerts of one burst, outage or network failure share it. */
  incidentId: z.string().optional(),
});
export type Alert = z.infer<typeof Alert>;

/** `grouped`: the alert moved into another incident (its `incidentId` changed), e.g. when a communication incident forms. */
export const AlertEventType = z.enum(['raised', 'acknowledged', 'cleared', 'grouped']);
export type AlertEventType = z.infer<typeof AlertEventType>;

export const AlertEvent = z.object({
  type: AlertEventType,
  at: Time,
  alert: Alert,
  /** The alert's incident, as on the alert: a consumer can group events without reading the alert. */
  incidentId: z.string().optional(),
});
export type AlertEvent = z.infer<typeof AlertEvent>;
