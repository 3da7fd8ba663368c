/** The TelemetryStore port: what ingest writes and the API reads, whichever database is behind it. */
import type { Metric } from '../core/metrics.js';
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
  /** Bucket width in ms, aligned to the epoch; absent = raw values. */
  everyMs?: number;
}

export interface TelemetryStore {
  /** Resolves only once every Reading is durable. The same device and ts again overwrites (later values win). */
  writeReadings(batch: readonly StoredReading[]): Promise<void>;
  queryReadings(q: ReadingQuery): Promise<Point[]>;
  /** `ts` of each device's newest Reading. */
  lastSeen(): Promise<Map<string, number>>;
  /** Throws when the store cannot be reached. */
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
