/** MQTT topic builders and parsers for the `wl/v1/` tree (CONTRACT §3). */
import type { AlertEvent } from './alert.js';
import { isId } from './ids.js';

export const TOPIC_ROOT = 'wl/v1';

export const topics = {
  telemetry: (deviceId: string) => `${TOPIC_ROOT}/${deviceId}/telemetry`,
  errors: (deviceId: string) => `${TOPIC_ROOT}/${deviceId}/errors`,
  status: (deviceId: string) => `${TOPIC_ROOT}/${deviceId}/status`,
  alerts: (countyId: string) => `${TOPIC_ROOT}/alerts/${countyId}`,
  /** Everything ingest consumes. */
  allTelemetry: `${TOPIC_ROOT}/+/telemetry`,
  allStatus: `${TOPIC_ROOT}/+/status`,
  allAlerts: `${TOPIC_ROOT}/alerts/+`,
} as const;

/** Payload of `wl/v1/{deviceId}/status`, retained, published by the broker. */
export interface StatusPayload {
  online: boolean;
  ts: number;
}

/** Payload of `wl/v1/{deviceId}/errors`: one per rejected message (core/error-report.ts). */
export interface ErrorPayload {
  error: string;
  path?: string;
  seq?: number;
  ts?: number | string;
  at: string;
  /** When several Readings of one message were rejected: how many, and the first of them by index. */
  rejected?: number;
  items?: Omit<ErrorPayload, 'at' | 'rejected' | 'items'>[];
}

/** Topic → payload, in one place (the zigbee2mqtt `Zigbee2MQTTAPI` pattern). */
export interface TopicPayloads {
  telemetry: unknown;
  errors: ErrorPayload;
  status: StatusPayload;
  alerts: AlertEvent;
}

export type ParsedTopic =
  | { kind: 'telemetry' | 'errors' | 'status'; deviceId: string }
  | { kind: 'alerts'; countyId: string };

/** Parses a concrete topic; `null` for anything outside the contract's tree. */
export function parseTopic(topic: string): ParsedTopic | null {
  const parts = topic.split('/');
  if (parts.length !== 4 || parts[0] !== 'wl' || parts[1] !== 'v1') return null;
  const [, , a, b] = parts as [string, string, string, string];
  if (a === 'alerts') return isId(b) ? { kind: 'alerts', countyId: b } : null;
  if (!isId(a)) return null;
  if (b === 'telemetry' || b === 'errors' || b === 'status') return { kind: b, deviceId: a };
  return null;
}
