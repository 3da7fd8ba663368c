/**
 * InfluxDB line protocol for what the store writes: Readings and AlertEvents. Strings, not the client's
 * Point objects: building a Point per Reading and serialising it cost more CPU than the write itself here.
 * Escaping follows the line protocol reference (docs.influxdata.com/influxdb/v1/write_protocols/line_protocol_reference).
 */
import type { AlertEvent } from '../../core/alert.js';
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
  return withFields(`${seriesKey(r)} `, r);
}

/**
 * readingLine with each device's series key kept between calls, for the write path: building the lines
 * is most of what the adapter adds to a plain POST (the bench prints its cost), and the five escaped tags
 * were a third of it. A changed dimension makes a new key.
 */
export function createReadingLines(): (r: StoredReading) => string {
  const keys = new Map<string, { r: StoredReading; key: string }>();
  return (r) => {
    let k = keys.get(r.deviceId);
    if (
      k === undefined ||
      k.r.countyId !== r.countyId ||
      k.r.siteKind !== r.siteKind ||
      k.r.schemeId !== r.schemeId ||
      k.r.siteId !== r.siteId
    ) {
      // Bounded: the registry is the only source of device ids, but a cache must not grow without end.
      if (keys.size >= 100_000) keys.clear();
      k = { r, key: `${seriesKey(r)} ` };
      keys.set(r.deviceId, k);
    }
    return withFields(k.key, r);
  };
}

function seriesKey(r: StoredReading): string {
  return `${READING},county=${escapeTag(r.countyId)},device=${escapeTag(r.deviceId)},kind=${escapeTag(r.siteKind)},scheme=${escapeTag(r.schemeId)},site=${escapeTag(r.siteId)}`;
}

/**
 * The fields and the timestamp after `line`. `values` holds only metrics (ingest validated them against
 * the catalogue), so its own keys are the field names: no lookups of the metrics it lacks.
 */
function withFields(line: string, r: StoredReading): string {
  const values = r.values as Record<string, number | undefined>;
  for (const m in values) {
    const v = values[m];
    if (v !== undefined) line += `${m}=${v},`;
  }
  line += `q_n=${r.qualitySamples}i,q_ok=${r.qualityCompliant}i`;
  if (r.seq !== undefined) line += `,seq=${intText(r.seq)}i`;
  return `${line} ${intText(r.ts)}`;
}

const PAD = ['', '0', '00', '000', '0000', '00000'];
/**
 * An integer as decimal text. A ms timestamp is beyond V8's small integers, and printing it as a double
 * cost several times more than printing its two halves (below 2^31 each), measured here.
 */
export function intText(n: number): string {
  if (n < 1e6 || n > Number.MAX_SAFE_INTEGER) return `${n}`;
  const hi = Math.floor(n / 1e6);
  const lo = `${n - hi * 1e6}`;
  return `${hi}${PAD[6 - lo.length]}${lo}`;
}

/**
 * Measurement `alert_event`: the county as the only tag (alert ids grow without bound, so they are a
 * field), the event as JSON, and the time the store gave it in µs, which is also its id (see alert-log.ts).
 */
export function alertEventLine(e: AlertEvent, storedUs: number): string {
  return `${ALERT_EVENT},county=${escapeTag(e.alert.countyId)} alert_id=${quoteField(e.alert.id)},type=${quoteField(e.type)},body=${quoteField(JSON.stringify(e))} ${storedUs}`;
}
