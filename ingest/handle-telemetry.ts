/** One telemetry message: validated, enriched from the registry, judged by the rules, queued for a durable write. */
import type { AlertEvent } from '../core/alert.js';
import { type Rejection, validateTelemetry } from '../core/reading.js';
import { enrich, type StoredReading } from '../core/stored-reading.js';
import { parseTopic } from '../core/topics.js';
import type { IngestCounters } from './ingest-metrics.js';
import type { RuleRunner } from './rule-runner.js';

export interface Judged {
  /** The device, when the topic names one the registry knows. */
  deviceId?: string;
  /** A device the broker let through but this registry does not know (yet): its message is dropped. */
  unknownDevice?: string;
  readings: StoredReading[];
  events: AlertEvent[];
  rejections: Rejection[];
}

const NOTHING: Judged = { readings: [], events: [], rejections: [] };

/** Topic → device id (null: not a telemetry topic), so each message does not split and match its topic again. */
const deviceOfTopic = new Map<string, string | null>();
const TOPICS_KEPT = 100_000;

function deviceOf(topic: string): string | null {
  let id = deviceOfTopic.get(topic);
  if (id === undefined) {
    const parsed = parseTopic(topic);
    id = parsed?.kind === 'telemetry' ? parsed.deviceId : null;
    // Bounded: only the broker's ACL-checked topics arrive here, but a registry can be large.
    if (deviceOfTopic.size >= TOPICS_KEPT) deviceOfTopic.clear();
    deviceOfTopic.set(topic, id);
  }
  return id;
}

/**
 * Everything but I/O: the caller reports the rejections on the device's errors topic and queues the
 * Readings and events. Valid Readings beside bad ones are kept (CONTRACT §3).
 */
export function handleTelemetry(
  topic: string,
  payload: Buffer,
  now: number,
  runner: RuleRunner,
  counters: IngestCounters,
): Judged {
  counters.messages++;
  // The broker lets only a device's own telemetry topic through to ingest (CONTRACT §3).
  const deviceId = deviceOf(topic);
  if (deviceId === null) return NOTHING;
  const setup = runner.setup(deviceId);
  if (!setup) {
    // Possible only between a registry change at the broker and the same change here.
    counters.unknownDevice++;
    return { ...NOTHING, unknownDevice: deviceId };
  }
  const { readings, rejections } = validateTelemetry(payload, { metrics: setup.device.metricSet, now });
  for (const r of rejections) counters.rejected[r.reason] = (counters.rejected[r.reason] ?? 0) + 1;
  if (readings.length === 0) return { deviceId: setup.device.id, readings: [], events: [], rejections };
  // A device uploading a buffer may list it newest first; the rules count runs in time order.
  const ordered = readings.length > 1 ? readings.slice().sort((a, b) => a.ts - b.ts) : readings;
  const rows: StoredReading[] = [];
  const events: AlertEvent[] = [];
  for (const reading of ordered) {
    const j = runner.judge(setup, reading, now);
    if (j.outcome === 'backfill') counters.backfill++;
    else if (j.outcome === 'duplicate') counters.duplicates++;
    for (const e of j.events) events.push(e);
    rows.push(enrich(setup.device, reading, setup.limits));
  }
  counters.accepted += rows.length;
  return { deviceId: setup.device.id, readings: rows, events, rejections };
}
