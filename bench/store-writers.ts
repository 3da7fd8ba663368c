/**
 * The writers the store bench compares against the InfluxDB adapter: a plain HTTP POST of the same
 * line protocol to /write (the ceiling), and the official client used as its README shows (Point
 * objects, one shared WriteApi, its own transport with gzip), waited on with flush().
 */
import http from 'node:http';
import { InfluxDB, Point } from '@influxdata/influxdb-client';
import { METRIC_NAMES } from '../core/metrics.js';
import type { StoredReading } from '../core/stored-reading.js';

export type LinesWriter = (lines: string[]) => Promise<void>;

/** POST /write?db=..&precision=ms with keep-alive and no gzip; rejects unless 204. */
export function plainHttpWriter(url: string, db: string): LinesWriter {
  const agent = new http.Agent({ keepAlive: true });
  const target = `${url}/write?db=${encodeURIComponent(db)}&precision=ms`;
  return (lines) =>
    new Promise<void>((resolve, reject) => {
      const body = Buffer.from(lines.join('\n'));
      const req = http.request(
        target,
        { method: 'POST', agent, headers: { 'content-length': body.length } },
        (res) => {
          res.resume();
          res.on('end', () =>
            res.statusCode === 204 ? resolve() : reject(new Error(`HTTP ${res.statusCode}`)),
          );
        },
      );
      req.on('error', reject);
      req.end(body);
    });
}

/**
 * The client as documented: a Point per Reading, `writePoints`, then `flush()`. Its write path is set to
 * 1.x /write (the server here has no /api/v2/write). flush() does not wait for batches sent when
 * batchSize filled, so the batch size is the call's size: every line goes in the flushed batch.
 */
export function officialClientWriter(
  url: string,
  db: string,
  batchSize: number,
): (rs: StoredReading[]) => Promise<void> {
  const api = new InfluxDB({ url }).getWriteApi('', db, 'ms', { batchSize: batchSize + 1, flushInterval: 0 });
  api.path = `/write?db=${encodeURIComponent(db)}&precision=ms`;
  return async (readings) => {
    for (const r of readings) {
      const p = new Point('reading')
        .tag('county', r.countyId)
        .tag('device', r.deviceId)
        .tag('kind', r.siteKind)
        .tag('scheme', r.schemeId)
        .tag('site', r.siteId)
        .intField('q_n', r.qualitySamples)
        .intField('q_ok', r.qualityCompliant)
        .timestamp(r.ts);
      for (const m of METRIC_NAMES) {
        const v = r.values[m];
        if (v !== undefined) p.floatField(m, v);
      }
      api.writePoint(p);
    }
    await api.flush();
  };
}
