/** The TelemetryStore port: what ingest writes and the API reads, whichever database is behind it. */
import type { Alert, AlertEvent } from '../core/alert.js';
import type { CoverageDay, HistoryLevel } from '../core/coverage/history.js';
import type { LabCount, StoredSample } from '../core/lab/sample.js';
import type { Metric } from '../core/metrics.js';
import type { Severity } from '../core/registry-schema.js';
import type { StoredReading } from '../core/stored-reading.js';

export type { CoverageDay, LabCount, StoredReading, StoredSample };

/** Lab samples with `sampledAt` in [from, to], newest first (ties by id). */
export interface SampleQuery {
  from: number;
  to: number;
  countyId?: string;
  /** The caller's scope: only these counties (an operator key); absent = all. */
  counties?: readonly string[];
  siteId?: string;
  limit: number;
}

/**
 * How far back lastSeen looks. Ingest refuses Readings more than 30 days old (CONTRACT §3), so a month
 * is the span in which a device's last Reading can still be news; one silent longer counts as not seen
 * (its stale alert has long said so), and InfluxDB reads a month of shards, not the whole history.
 */
export const LAST_SEEN_LOOKBACK_MS = 30 * 86_400_000;

/** One bucket of a series; a raw value is a point of count 1. */
export interface Point {
  ts: number;
  mean: number;
  min: number;
  max: number;
  count: number;
}

/**
 * A series of one device and metric. Buckets are aligned to the epoch and a bucket's `ts` is its start,
 * also for the first bucket when `from` falls inside it (InfluxDB 1.6 `GROUP BY time()` with
 * `time >= from` answers that way, checked against 1.6.7; the embedded store does the same); only the
 * Readings inside [from, to] count, and only buckets with data are returned (InfluxQL `fill(none)`).
 */
export interface ReadingQuery {
  deviceId: string;
  metric: Metric;
  /** Inclusive bounds, epoch ms. */
  from: number;
  to: number;
  /** Bucket width in ms, aligned to the epoch; a bucket's ts is its start. Absent = raw values. */
  everyMs?: number;
  /**
   * Raw values only: at most this many, the oldest first, so a caller bounding its answer stops the
   * store reading (and holding) more than it will use. Absent = all.
   */
  limit?: number;
}

/** A device's newest Reading as stored (fields merged when the same ts was written twice). */
export interface LatestReading {
  ts: number;
  seq?: number;
  values: Partial<Record<Metric, number>>;
}

/** Each metric's newest value of one device, with its ts (epoch ms). */
export type LatestValues = Partial<Record<Metric, { value: number; ts: number }>>;

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
  /** Only alerts raised inside a maintenance window (true) or outside one (false). */
  suppressed?: boolean;
  limit: number;
  /** Opaque, from a previous page's `nextCursor`. */
  cursor?: string;
}

export interface AlertPage {
  items: Alert[];
  nextCursor?: string;
}

/** Filters of `GET /incidents`, as those of alerts (an incident matches when any of its alerts does, see pageIncidents). */
export interface IncidentQuery {
  active?: boolean;
  severity?: Severity;
  countyId?: string;
  counties?: readonly string[];
  /** Incidents opened (first alert raised) at or after this time, epoch ms. */
  since?: number;
  limit: number;
  cursor?: string;
}

/** One incident's alerts (those in the caller's scope), oldest raised first. */
export interface IncidentGroup {
  id: string;
  alerts: Alert[];
}

export interface IncidentPage {
  items: IncidentGroup[];
  nextCursor?: string;
}

/** An AlertEvent with the store's id for it: increasing, opaque, what SSE sends as the event id. */
export interface StoredAlertEvent {
  id: string;
  event: AlertEvent;
}

export interface TelemetryStore {
  /**
   * How many Reading batches ingest may usefully write at once (default 1): more when the store takes
   * concurrent writes, so a batch need not wait out the previous one's round trip.
   */
  readonly writesInFlight?: number;
  /**
   * The store is another server (InfluxDB), a network round trip away: ingest then makes alert events
   * durable in a local journal first, so an alert is published without waiting for that round trip.
   */
  readonly remote?: boolean;
  /**
   * Resolves only once every Reading is durable, and rejects with a StoreError otherwise (never a silent
   * drop). The same device and ts again is one Reading: the metrics it carries overwrite, the others stay
   * (as the fields of one InfluxDB point do), and its quality counts replace the earlier ones. A device's
   * site, scheme, county and kind are taken as written; the embedded store keeps the latest per device.
   */
  writeReadings(batch: readonly StoredReading[]): Promise<void>;
  /** Oldest first; buckets as described on ReadingQuery. */
  queryReadings(q: ReadingQuery): Promise<Point[]>;
  /**
   * `ts` of each device's newest Reading at or before `at` (default: any time), looking back at most
   * LAST_SEEN_LOOKBACK_MS from `at` (default: from now), so the answer costs the same after years of data.
   */
  lastSeen(at?: number): Promise<Map<string, number>>;
  /** The device's newest Reading, or null before its first. */
  latestReading(deviceId: string): Promise<LatestReading | null>;
  /**
   * For each of `deviceIds`, each metric's newest value with `ts` in [from, to], in one query however
   * many devices and metrics (the pages' last values); devices without a value there are left out.
   */
  latestValues(q: {
    deviceIds: readonly string[];
    from: number;
    to: number;
  }): Promise<Map<string, LatestValues>>;
  /**
   * Quality samples per scheme with `ts` in [from, to], optionally of one county's schemes; schemes
   * without a sample in the window are left out. Sorted by schemeId.
   */
  qualityCounts(q: { from: number; to: number; countyId?: string }): Promise<QualityCount[]>;

  /**
   * Appends AlertEvents durably, in order, and keeps each alert's current state. Idempotent: an event
   * with the same alert id, type and time (`at`) is stored once; a repeat is dropped whole. The state is
   * the first event's alert merged with each later one's by `mergeAlert` (core/alert-merge.ts), in the
   * order they were stored, so no writer undoes another: once acknowledged an alert stays acknowledged
   * (with the first acknowledgedAt/By and note), and once cleared it stays cleared (with the first clearedAt).
   */
  appendAlertEvents(events: readonly AlertEvent[]): Promise<void>;
  /** Newest `raisedAt` first (ties by id), with the filters of CONTRACT §7. */
  listAlerts(q: AlertQuery): Promise<AlertPage>;
  getAlert(id: string): Promise<{ alert: Alert; events: AlertEvent[] } | null>;
  /** Alerts grouped by their `incidentId` (an alert without one is an incident by itself), newest opened first. */
  listIncidents(q: IncidentQuery): Promise<IncidentPage>;
  /** One incident's alerts in the scope, or null when it has none there. */
  getIncident(id: string, counties?: readonly string[]): Promise<IncidentGroup | null>;
  /** Every alert still active: ingest rebuilds its state from these after a restart. */
  activeAlerts(): Promise<Alert[]>;
  /**
   * Events stored after the one with id `afterId` (null = from the start), oldest first. An id the store
   * never issued counts as the start. Ids only grow, so a reader that remembers the last id it saw
   * misses nothing (the InfluxDB adapter lists an event once it is a moment old, see its alert log).
   */
  alertEventsAfter(afterId: string | null, limit: number): Promise<StoredAlertEvent[]>;
  /**
   * Id of the newest event `alertEventsAfter` would list now, or null when there is none: where a reader
   * that wants only what comes next starts, without reading the log. Ids are decimal integers (as
   * strings) in both adapters, so a reader can tell an id from the future from one it missed.
   */
  latestAlertEventId(): Promise<string | null>;

  /**
   * Stores laboratory samples durably. The same site and `sampledAt` again is one sample: the later
   * write replaces it whole (a corrected lab report).
   */
  writeSamples(samples: readonly StoredSample[]): Promise<void>;
  querySamples(q: SampleQuery): Promise<StoredSample[]>;
  /** Lab samples per scheme with `sampledAt` in [from, to]; schemes without one are left out. Sorted by schemeId. */
  labCounts(q: { from: number; to: number }): Promise<LabCount[]>;

  /** Stores daily coverage snapshots; the same day, level and place again replaces the row. */
  writeCoverageDays(days: readonly CoverageDay[]): Promise<void>;
  /** Snapshots of a level with `dayStart` in [from, to], oldest day first, then in the order written. */
  coverageDays(q: { level: HistoryLevel; from: number; to: number }): Promise<CoverageDay[]>;

  /** Throws a StoreError when the store cannot be reached. */
  ping(): Promise<void>;
  /** Resolves once every write already started has settled (stored or failed). */
  flush(): Promise<void>;
  /** Waits for writes in flight, then releases the store; nothing may be called after it. */
  close(): Promise<void>;
}

/** Infrastructure failure of a store, naming where and why. */
export class StoreError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'StoreError';
  }
}
