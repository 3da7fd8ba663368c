/** Alerts and their events (CONTRACT §4): what operators see, acknowledge and receive over MQTT. */
import { z } from 'zod';
import { MetricName, RuleId, Severity } from './registry-schema.js';

/**
 * `lab`: a laboratory sample failed a GB 5749-2022 limit (rule `lab-<indicator>`, core/lab/).
 * `operational`: plant outage, burst, chlorine demand; `anomaly`: statistical detection (quality-anomaly).
 */
export const AlertKind = z.enum(['threshold', 'rate', 'stale', 'flatline', 'lab', 'operational', 'anomaly']);
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
  /** Set when a person ended the alert by hand (event `resolved`): who, and why. */
  resolvedBy: z.string().optional(),
  resolutionNote: z.string().optional(),
  value: z.number().optional(),
  limit: z.number().optional(),
  message: z.string(),
  /** Raised inside a maintenance window: stored and shown, but nobody is notified. */
  suppressed: z.boolean().optional(),
  /** The incident (root cause) the alert belongs to: alerts of one burst, outage or network failure share it. */
  incidentId: z.string().optional(),
});
export type Alert = z.infer<typeof Alert>;

/**
 * `resolved`: a person ended an active alert by hand (it is then cleared, with who and why).
 * `notified` / `notify-failed`: notification history, one event per delivery attempt; they never change
 * the alert's state. `suppressed`: marks an alert raised inside a maintenance window. `grouped`: the
 * alert moved into another incident (its `incidentId` changed), e.g. when a communication incident forms.
 */
export const AlertEventType = z.enum([
  'raised',
  'acknowledged',
  'cleared',
  'resolved',
  'notified',
  'notify-failed',
  'suppressed',
  'grouped',
]);
export type AlertEventType = z.infer<typeof AlertEventType>;

/**
 * Why an alert was cleared other than by its device's Readings: its rule is no longer in force for the
 * device (disabled, or no longer applying after a registry change), or the device left the registry.
 */
export const ClearReason = z.enum(['rule-disabled', 'device-removed']);
export type ClearReason = z.infer<typeof ClearReason>;

/** Who a notification went to, on which channel; never a secret. */
export const NotificationInfo = z.object({
  channel: z.string(),
  channelType: z.string(),
  /** An e-mail address, a masked telephone number, or the channel id for a group robot or webhook. */
  recipient: z.string(),
  /** raised, repeat, escalate or recovery. */
  step: z.string(),
  /** The level the message went to: county, prefecture or region. */
  level: z.string(),
  attempt: z.number().int().min(1),
  error: z.string().optional(),
});
export type NotificationInfo = z.infer<typeof NotificationInfo>;

export const AlertEvent = z.object({
  type: AlertEventType,
  at: Time,
  alert: Alert,
  reason: ClearReason.optional().meta({
    description:
      'on a cleared event not caused by Readings: rule-disabled (the rule no longer applies to the device) or device-removed (the device left the registry)',
  }),
  /** On `notified` and `notify-failed` events. */
  notification: NotificationInfo.optional(),
  /** The alert's incident, as on the alert: a consumer can group events without reading the alert. */
  incidentId: z.string().optional(),
});
export type AlertEvent = z.infer<typeof AlertEvent>;
