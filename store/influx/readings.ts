/** Reading queries in InfluxQL: raw and downsampled series, last-seen times, the newest Reading, quality counts. */
import { METRIC_NAMES, type Metric } from '../../core/metrics.js';
import {
  LAST_SEEN_LOOKBACK_MS,
  type LatestReading,
  type LatestValues,
  type Point,
  type QualityCount,
  type ReadingQuery,
} from '../telemetry-store.js';
import type { InfluxConnection } from './connection.js';
import { ident, literal, msTime, rowsOf } from './influxql.js';
import { READING } from './line-protocol.js';

export interface InfluxReadings {
  query(q: ReadingQuery): Promise<Point[]>;
  lastSeen(at?: number): Promise<Map<string, number>>;
  latest(deviceId: string): Promise<LatestReading | null>;
  latestValues(q: {
    deviceIds: readonly string[];
    from: number;
    to: number;
  }): Promise<Map<string, LatestValues>>;
  qualityCounts(q: { from: number; to: number; countyId?: string }): Promise<QualityCount[]>;
}

const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v));

export function createInfluxReadings(conn: InfluxConnection, clock: () => number = Date.now): InfluxReadings {
  const from = conn.from(READING);
  const within = (a: number, b: number) => `time >= ${msTime(a)} AND time <= ${msTime(b)}`;

  return {
    async query({ deviceId, metric, from: a, to: b, everyMs, limit }) {
      const m = ident(metric);
      const where = `${ident('device')} = ${literal(deviceId)} AND ${within(a, b)}`;
      if (everyMs === undefined) {
        // A single selected field: points without it are left out (as the SQL `IS NOT NULL` does).
        const bound = limit === undefined ? '' : ` LIMIT ${Math.max(0, Math.trunc(limit))}`;
        const series = await conn.query(`SELECT ${m} FROM ${from} WHERE ${where}${bound}`, 'ms');
        return (series[0]?.values ?? []).map(([ts, v]) => {
          const x = num(v);
          return { ts: num(ts), mean: x, min: x, max: x, count: 1 };
        });
      }
      // Buckets are epoch-aligned and stamped with their start, also the first one when `from` falls
      // inside it (checked against 1.6.7); fill(none) leaves out buckets without data.
      const series = await conn.query(
        `SELECT mean(${m}), min(${m}), max(${m}), count(${m}) FROM ${from} WHERE ${where}
         GROUP BY time(${Math.trunc(everyMs)}ms) fill(none)`,
        'ms',
      );
      return (series[0]?.values ?? []).map(([ts, mean, min, max, count]) => ({
        ts: num(ts),
        mean: num(mean),
        min: num(min),
        max: num(max),
        count: num(count),
      }));
    },

    async lastSeen(at) {
      // q_n is written with every Reading, so its last() is the device's newest point.
      const since = (at ?? clock()) - LAST_SEEN_LOOKBACK_MS;
      const time = `WHERE time >= ${msTime(since)}${at === undefined ? '' : ` AND time <= ${msTime(at)}`}`;
      const series = await conn.query(
        `SELECT last("q_n") FROM ${from} ${time} GROUP BY ${ident('device')}`,
        'ms',
      );
      const out = new Map<string, number>();
      for (const s of series) {
        const device = s.tags?.device;
        const ts = s.values[0]?.[0];
        if (device !== undefined && ts !== undefined) out.set(device, num(ts));
      }
      return out;
    },

    async latest(deviceId) {
      const series = await conn.query(
        `SELECT * FROM ${from} WHERE ${ident('device')} = ${literal(deviceId)} ORDER BY time DESC LIMIT 1`,
        'ms',
      );
      const row = series[0] ? rowsOf(series[0])[0] : undefined;
      if (!row) return null;
      const values: LatestReading['values'] = {};
      for (const m of METRIC_NAMES) {
        const v = row[m];
        if (v !== null && v !== undefined) values[m as Metric] = num(v);
      }
      const out: LatestReading = { ts: num(row.time), values };
      if (row.seq !== null && row.seq !== undefined) out.seq = num(row.seq);
      return out;
    },

    async latestValues({ deviceIds, from: a, to: b }) {
      const out = new Map<string, LatestValues>();
      if (deviceIds.length === 0) return out;
      // One request: a statement per metric (with several selectors in one statement InfluxQL gives
      // no per-field time), each over every device asked for, grouped by device.
      const devices = deviceIds.map((d) => `${ident('device')} = ${literal(d)}`).join(' OR ');
      const where = `(${devices}) AND ${within(a, b)}`;
      const results = await conn.queryMany(
        METRIC_NAMES.map(
          (m) => `SELECT last(${ident(m)}) FROM ${from} WHERE ${where} GROUP BY ${ident('device')}`,
        ),
        'ms',
      );
      results.forEach((series, i) => {
        const metric = METRIC_NAMES[i] as Metric;
        for (const s of series) {
          const device = s.tags?.device;
          const [ts, v] = s.values[0] ?? [];
          if (device === undefined || ts === undefined || v === null || v === undefined) continue;
          const values = out.get(device) ?? {};
          values[metric] = { value: num(v), ts: num(ts) };
          out.set(device, values);
        }
      });
      return out;
    },

    async qualityCounts({ from: a, to: b, countyId }) {
      const county = countyId === undefined ? '' : `AND ${ident('county')} = ${literal(countyId)}`;
      // No `"q_n" > 0` condition: with one, influxd lines up both fields point by point; without, each
      // sum reads its own field, and a scheme whose sum is 0 (sources only) is left out below.
      const series = await conn.query(
        `SELECT sum("q_n"), sum("q_ok") FROM ${from} WHERE ${within(a, b)} ${county}
         GROUP BY ${ident('scheme')}, ${ident('county')}`,
        'ms',
      );
      const out: QualityCount[] = [];
      for (const s of series) {
        const [, samples, compliant] = s.values[0] ?? [];
        if (!s.tags?.scheme || s.tags.county === undefined || !num(samples)) continue;
        out.push({
          schemeId: s.tags.scheme,
          countyId: s.tags.county,
          samples: num(samples),
          compliant: num(compliant),
        });
      }
      return out.sort((x, y) =>
        x.schemeId === y.schemeId ? cmp(x.countyId, y.countyId) : cmp(x.schemeId, y.schemeId),
      );
    },
  };
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
