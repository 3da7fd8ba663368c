/** Ingest's counters and gauges, rendered in the Prometheus text exposition format (version 0.0.4). */
import type { RejectReason } from '../core/reading.js';
import { createHistogram, type Histogram } from './histogram.js';

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
  alertDelay: Histogram;
  /** One write of a batch of Readings, to the store or the spool. */
  writeTime: Histogram;
}

export interface IngestGauges {
  spoolBytes: number;
  spoolRecords: number;
  /** Readings taken from the broker and not yet durable. */
  waiting: number;
  activeAlerts: number;
  connected: boolean;
}

export function createCounters(): IngestCounters {
  return {
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
    alertDelay: createHistogram(),
    writeTime: createHistogram(),
  };
}

type Sample = [labels: string, value: number];

export function renderMetrics(c: IngestCounters, g: IngestGauges): string {
  const out: string[] = [];
  const metric = (name: string, type: 'counter' | 'gauge', help: string, samples: Sample[]) => {
    out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [labels, v] of samples) out.push(`${name}${labels} ${v}`);
  };
  const by = (label: string, m: Record<string, number | undefined>): Sample[] =>
    Object.entries(m).map(([k, v]) => [`{${label}="${k}"}`, v ?? 0]);
  const one = (v: number): Sample[] => [['', v]];

  metric('waterline_ingest_messages_total', 'counter', 'Telemetry messages received.', one(c.messages));
  metric(
    'waterline_ingest_readings_accepted_total',
    'counter',
    'Readings that passed validation.',
    one(c.accepted),
  );
  metric(
    'waterline_ingest_readings_stored_total',
    'counter',
    'Readings written to the store.',
    one(c.stored),
  );
  metric(
    'waterline_ingest_readings_spooled_total',
    'counter',
    'Readings written to the on-disk spool.',
    one(c.spooled),
  );
  metric(
    'waterline_ingest_readings_rejected_total',
    'counter',
    'Readings or messages rejected, by reason (CONTRACT §3).',
    by('reason', c.rejected),
  );
  metric(
    'waterline_ingest_readings_backfill_total',
    'counter',
    'Backfill Readings (stored, not judged).',
    one(c.backfill),
  );
  metric(
    'waterline_ingest_readings_duplicate_total',
    'counter',
    'Readings with a ts already judged.',
    one(c.duplicates),
  );
  metric(
    'waterline_ingest_unknown_device_total',
    'counter',
    'Messages from devices not in the registry.',
    one(c.unknownDevice),
  );
  metric('waterline_ingest_alerts_raised_total', 'counter', 'Alerts raised, by rule.', by('rule', c.raised));
  metric(
    'waterline_ingest_alerts_cleared_total',
    'counter',
    'Alerts cleared, by rule.',
    by('rule', c.cleared),
  );
  metric(
    'waterline_ingest_store_failures_total',
    'counter',
    'Store writes that failed or timed out.',
    one(c.storeFailures),
  );
  out.push(
    ...c.alertDelay.render(
      'waterline_ingest_alert_delay_seconds',
      'From receiving the Reading that raised or cleared an alert to publishing the AlertEvent.',
    ),
    ...c.writeTime.render('waterline_ingest_write_seconds', 'One durable write of a batch of Readings.'),
  );
  metric('waterline_ingest_spool_bytes', 'gauge', 'Bytes in the on-disk spool.', one(g.spoolBytes));
  metric(
    'waterline_ingest_spool_records',
    'gauge',
    'Batches in the spool not yet replayed.',
    one(g.spoolRecords),
  );
  metric(
    'waterline_ingest_readings_waiting',
    'gauge',
    'Readings received and not yet durable.',
    one(g.waiting),
  );
  metric('waterline_ingest_alerts_active', 'gauge', 'Alerts active in ingest state.', one(g.activeAlerts));
  metric('waterline_ingest_connected', 'gauge', '1 while connected to the broker.', one(g.connected ? 1 : 0));
  return `${out.join('\n')}\n`;
}
