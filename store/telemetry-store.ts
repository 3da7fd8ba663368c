/** The TelemetryStore port: what ingest writes and the API reads, whichever database is behind it. */
import type { Alert, AlertEvent } from '../core/alert.js';
import type { Metric } from '../core/metrics.js';
import type { Severity } from '../core/registry-schema.js';
import type { StoredReading } from '../core/stored-reading.js';

export type { StoredReading };

/** One bucket of a series; a raw value is a point of count 1. */
export interface Point {
  ts: number;
  mean: number;
  min: number;
  max: number;
  count: number;
}

export interface ReadingQuery {
  deviceId: string;
  metric: Metric;
  /** Inclusive bounds, epoch ms. */
  from: number;
  to: number;
  /** Bucket width in ms, aligned to the epoch; a bucket's ts is its start. Absent = raw values. */
  everyMs?: number;
}

/** Quality samples of one scheme in a window (CONTRACT §6 qualityCompliance). */
export interface QualityCount {
  schemeId: string;
  countyId: string;
  samples: number;
  compliant: number;
}

export interface AlertQuery {
  active?: boolean;
  acknowledged?: boolean;
  severity?: Severity;
  countyId?: string;
  /** The caller's scope: only these counties (an operator key); absent = all. */
  counties?: readonly string[];
  deviceId?: string;
  /** Alerts raised at or after this time, epoch ms. */
  since?: number;
  limit: number;
  /** Opaque, from a previous page's `nextCursor`. */
  cursor?: string;
}

export interface AlertPage {
  items: Alert[];
  nextCursor?: string;
}

/** An AlertEvent with the store's id for it: increasing, opaque, what SSE sends as the event id. */
export interface StoredAlertEvent {
  id: string;
  event: AlertEvent;
}

export interface TelemetryStore {
  /** Resolves only once every Reading is durable. The same device and ts again overwrites (later values win). */
  writeReadings(batch: readonly StoredReading[]): Promise<void>;
  queryReadings(q: ReadingQuery): Promise<Point[]>;
  /** `ts` of each device's newest Reading at or before `at` (default: any time). */
  lastSeen(at?: number): Promise<Map<string, number>>;
  /** Quality samples per scheme with `ts` in [from, to], optionally of one county's schemes. */
  qualityCounts(q: { from: number; to: number; countyId?: string }): Promise<QualityCount[]>;

  /**
   * Appends AlertEvents durably, in order, and keeps each alert's current state. Idempotent: an event
   * with the same alert id, type and time is stored once. States merge so no writer undoes another:
   * once acknowledged an alert stays acknowledged (with the first acknowledgedAt/By and note), and once
   * cleared it stays cleared (with the first clearedAt).
   */
  appendAlertEvents(events: readonly AlertEvent[]): Promise<void>;
  /** Newest `raisedAt` first (ties by id), with the filters of CONTRACT §7. */
  listAlerts(q: AlertQuery): Promise<AlertPage>;
  getAlert(id: string): Promise<{ alert: Alert; events: AlertEvent[] } | null>;
  /** Every alert still active: ingest rebuilds its state from these after a restart. */
  activeAlerts(): Promise<Alert[]>;
  /** Events stored after the one with id `afterId` (null = from the start), oldest first. */
  alertEventsAfter(afterId: string | null, limit: number): Promise<StoredAlertEvent[]>;

  /** Throws a StoreError when the store cannot be reached. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Infrastructure failure of a store, naming where and why. */
export class StoreError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'StoreError';
  }
}
