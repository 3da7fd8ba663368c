/**
 * InfluxDB line protocol for what the store writes: Readings and AlertEvents. Strings, not the client's
 * Point objects: building a Point per Reading and serialising it cost more CPU than the write itself here.
 * Escaping follows the line protocol reference (docs.influxdata.com/influxdb/v1/write_protocols/line_protocol_reference).
 */
import type { AlertEvent } from '../../core/alert.js';
import { METRIC_NAMES } from '../../core/metrics.js';
import type { StoredReading } from '../telemetry-store.js';

export const READING = 'reading';
export const ALERT_EVENT = 'alert_event';

const TAG_SPECIAL = /[,= \\\n]/;
/** Tag keys and values: comma, equals sign and space are escaped; registry ids never need it. */
export function escapeTag(s: string): string {
  return TAG_SPECIAL.test(s) ? s.replace(/[,= \\]/g, '\\$&').replace(/\n/g, '\\n') : s;
}

/** String field values go in double quotes, with `"` and `\` escaped. */
export function quoteField(s: string): string {
  return `"${s.replace(/[\\"]/g, '\\$&')}"`;
}

/**
 * Schema: measurement `reading`; tags are the low-cardinality dimensions (county, device, kind, scheme,
 * site; sorted by key, as InfluxDB recommends); fields are the metrics (floats), the quality counts and
 * seq (integers). Never seq or a time in a tag: series would grow without bound (1.x caps a database
 * at 1,000,000 series). The timestamp is the device's `ts` in ms, so a rewrite of the same Reading
 * overwrites the fields it carries (idempotent).
 */
export function readingLine(r: StoredReading): string {
  let fields = '';
  for (const m of METRIC_NAMES) {
    const v = r.values[m];
    if (v !== undefined) fields += `${m}=${v},`;
  }
  fields += `q_n=${r.qualitySamples}i,q_ok=${r.qualityCompliant}i`;
  if (r.seq !== undefined) fields += `,seq=${r.seq}i`;
  return `${READING},county=${escapeTag(r.countyId)},device=${escapeTag(r.deviceId)},kind=${escapeTag(r.siteKind)},scheme=${escapeTag(r.schemeId)},site=${escapeTag(r.siteId)} ${fields} ${r.ts}`;
}

/**
 * Measurement `alert_event`: the county as the only tag (alert ids grow without bound, so they are a
 * field), the event as JSON, and the time the store gave it in µs, which is also its id (see alert-log.ts).
 */
export function alertEventLine(e: AlertEvent, storedUs: number): string {
  return `${ALERT_EVENT},county=${escapeTag(e.alert.countyId)} alert_id=${quoteField(e.alert.id)},type=${quoteField(e.type)},body=${quoteField(JSON.stringify(e))} ${storedUs}`;
}
