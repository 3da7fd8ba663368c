/** Ingest's counters and gauges, exposed for Prometheus through prom-client with a registry of their own. */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { RejectReason } from '../core/reading.js';

/** From 1 ms to 10 s: an alert is expected within milliseconds, a store write may take seconds when unwell. */
export const SECONDS_BUCKETS = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10];

/** A duration histogram in seconds (a prom-client Histogram). */
export interface SecondsHistogram {
  observe(seconds: number): void;
}

/**
 * Plain numbers, bumped on the hot path with `++` (no call per Reading); prom-client reads them when
 * scraped. The histograms are prom-client's own.
 */
export interface IngestCounters {
  messages: number;
  /** Readings accepted by validation (stored directly or through the spool). */
  accepted: number;
  /** Readings written to the store (directly, or replayed from the spool). */
  stored: number;
  /** Readings made durable in the spool while the store was unavailable. */
  spooled: number;
  backfill: number;
  duplicates: number;
  /** Telemetry from a device id the registry does not know (only between registry reloads). */
  unknownDevice: number;
  rejected: Partial<Record<RejectReason, number>>;
  raised: Record<string, number>;
  cleared: Record<string, number>;
  /** Batches the store did not take in time (each then went to the spool). */
  storeFailures: number;
  /** From receiving the message that raised or cleared an alert to publishing the event on MQTT. */
  alertDelay: SecondsHistogram;
  /** One write of a batch of Readings, to the store or the spool. */
  writeTime: SecondsHistogram;
}

export interface IngestGauges {
  spoolBytes: number;
  spoolRecords: number;
  /** Readings taken from the broker and not yet durable. */
  waiting: number;
  activeAlerts: number;
  connected: boolean;
  /** Why ingest cannot keep its promise now (store down and spooling, behind), or null: what /readyz says. */
  notReady?: string | null;
}

interface Exposition {
  registry: Registry;
  /** Where the gauges are read from at the next scrape. */
  gauges: () => IngestGauges | null;
}

/** Each counters object's registry: one per ingest instance, never prom-client's global one. */
const expositions = new WeakMap<IngestCounters, Exposition>();

export function createCounters(): IngestCounters {
  const registry = new Registry();
  // The process's own figures beside ingest's (every process that runs ingest serves this registry):
  // event-loop delay and GC pauses say whether a slow alert waited on the process rather than the store.
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 10 });
  const histogram = (name: string, help: string) =>
    new Histogram({ name, help, buckets: SECONDS_BUCKETS, registers: [registry] });
  const c: IngestCounters = {
    messages: 0,
    accepted: 0,
    stored: 0,
    spooled: 0,
    backfill: 0,
    duplicates: 0,
    unknownDevice: 0,
    rejected: {},
    raised: {},
    cleared: {},
    storeFailures: 0,
    alertDelay: histogram(
      'waterline_ingest_alert_delay_seconds',
      'From receiving the Reading that raised or cleared an alert to publishing the AlertEvent.',
    ),
    writeTime: histogram('waterline_ingest_write_seconds', 'One durable write of a batch of Readings.'),
  };
  const exposition: Exposition = { registry, gauges: () => null };
  expositions.set(c, exposition);
  defineMetrics(c, exposition);
  return c;
}

/** Counters and gauges that copy the plain numbers when scraped. */
function defineMetrics(c: IngestCounters, x: Exposition): void {
  const registers = [x.registry];
  const count = (name: string, help: string, value: () => number) =>
    new Counter({
      name,
      help,
      registers,
      collect() {
        this.reset();
        this.inc(value());
      },
    });
  const countBy = (
    name: string,
    help: string,
    label: string,
    values: () => Record<string, number | undefined>,
  ) =>
    new Counter({
      name,
      help,
      labelNames: [label],
      registers,
      collect() {
        this.reset();
        for (const [k, v] of Object.entries(values())) this.inc({ [label]: k }, v ?? 0);
      },
    });
  const gauge = (name: string, help: string, value: (g: IngestGauges) => number) =>
    new Gauge({
      name,
      help,
      registers,
      collect() {
        const g = x.gauges();
        if (g) this.set(value(g));
      },
    });

  count('waterline_ingest_messages_total', 'Telemetry messages received.', () => c.messages);
  count('waterline_ingest_readings_accepted_total', 'Readings that passed validation.', () => c.accepted);
  count('waterline_ingest_readings_stored_total', 'Readings written to the store.', () => c.stored);
  count('waterline_ingest_readings_spooled_total', 'Readings written to the on-disk spool.', () => c.spooled);
  countBy(
    'waterline_ingest_readings_rejected_total',
    'Readings or messages rejected, by reason (CONTRACT §3).',
    'reason',
    () => c.rejected,
  );
  count(
    'waterline_ingest_readings_backfill_total',
    'Backfill Readings (stored, not judged).',
    () => c.backfill,
  );
  count(
    'waterline_ingest_readings_duplicate_total',
    'Readings with a ts already judged.',
    () => c.duplicates,
  );
  count(
    'waterline_ingest_unknown_device_total',
    'Messages from devices not in the registry.',
    () => c.unknownDevice,
  );
  countBy('waterline_ingest_alerts_raised_total', 'Alerts raised, by rule.', 'rule', () => c.raised);
  countBy('waterline_ingest_alerts_cleared_total', 'Alerts cleared, by rule.', 'rule', () => c.cleared);
  count(
    'waterline_ingest_store_failures_total',
    'Store writes that failed or timed out.',
    () => c.storeFailures,
  );
  gauge('waterline_ingest_spool_bytes', 'Bytes in the on-disk spool.', (g) => g.spoolBytes);
  gauge('waterline_ingest_spool_records', 'Batches in the spool not yet replayed.', (g) => g.spoolRecords);
  gauge('waterline_ingest_readings_waiting', 'Readings received and not yet durable.', (g) => g.waiting);
  gauge('waterline_ingest_alerts_active', 'Alerts active in ingest state.', (g) => g.activeAlerts);
  gauge('waterline_ingest_connected', '1 while connected to the broker.', (g) => (g.connected ? 1 : 0));
  // The reason as a label, so an alerting rule on `== 0` can say why (the same text /readyz answers).
  new Gauge({
    name: 'waterline_ingest_ready',
    help: '1 while ingest can make what it takes durable at once; 0 with the reason while it cannot.',
    labelNames: ['reason'],
    registers,
    collect() {
      const g = x.gauges();
      if (!g) return;
      this.reset();
      const why = g.notReady ?? null;
      this.set({ reason: why === null ? '' : why.split(':')[0]! }, why === null ? 1 : 0);
    },
  });
}

/**
 * The prom-client registry of `c`, reading its gauges from `gauges` when scraped: for merging into
 * another exposition (the API's `/metrics`) with `Registry.merge`, which refuses duplicate names.
 */
export function ingestMetricsRegistry(c: IngestCounters, gauges: () => IngestGauges): Registry {
  const x = expositions.get(c);
  if (!x) throw new Error('ingest counters not made by createCounters()');
  x.gauges = gauges;
  return x.registry;
}

/** Prometheus text exposition (format 0.0.4) of `c` and the gauges `g`. */
export function renderMetrics(c: IngestCounters, g: IngestGauges): Promise<string> {
  return ingestMetricsRegistry(c, () => g).metrics();
}
