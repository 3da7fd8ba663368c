/**
 * Laboratory samples in InfluxDB: measurement `lab_sample`, tagged by county, site kind, scheme and site,
 * stamped with the sampling time in ms, so the same site and time again overwrites the point (one sample).
 * Values, failed indicators and who sent it travel as one JSON string field: a lab tests a different set
 * of indicators each time, and no query filters on them.
 */
import type { LabCount, SampleQuery, StoredSample } from '../telemetry-store.js';
import type { InfluxConnection } from './connection.js';
import { ident, literal, msTime, rowsOf } from './influxql.js';
import { escapeTag, quoteField } from './line-protocol.js';
import type { LineWriter } from './writer.js';

export const LAB_SAMPLE = 'lab_sample';

type Body = Pick<StoredSample, 'values' | 'failed' | 'receivedAt' | 'by' | 'note'>;

export function sampleLine(s: StoredSample): string {
  const body: Body = { values: s.values, failed: s.failed, receivedAt: s.receivedAt, by: s.by };
  if (s.note !== undefined) body.note = s.note;
  const tags = `county=${escapeTag(s.countyId)},kind=${escapeTag(s.siteKind)},scheme=${escapeTag(s.schemeId)},site=${escapeTag(s.siteId)}`;
  const fields = `body=${quoteField(JSON.stringify(body))},compliant=${s.compliant ? 1 : 0}i,lab=${quoteField(s.lab)}`;
  return `${LAB_SAMPLE},${tags} ${fields} ${Math.trunc(s.sampledAt)}`;
}

const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v));

export interface InfluxSamples {
  write(samples: readonly StoredSample[]): Promise<void>;
  query(q: SampleQuery): Promise<StoredSample[]>;
  counts(q: { from: number; to: number }): Promise<LabCount[]>;
}

export function createInfluxSamples(conn: InfluxConnection, writer: LineWriter): InfluxSamples {
  const from = conn.from(LAB_SAMPLE);
  const within = (a: number, b: number) => `time >= ${msTime(a)} AND time <= ${msTime(b)}`;
  const eq = (tag: string, v: string) => `${ident(tag)} = ${literal(v)}`;

  return {
    async write(samples) {
      if (samples.length === 0) return;
      await writer.write(samples.map(sampleLine), 'ms');
    },
    async query(q) {
      const where = [within(q.from, q.to)];
      if (q.countyId !== undefined) where.push(eq('county', q.countyId));
      if (q.counties !== undefined) {
        if (q.counties.length === 0) return [];
        where.push(`(${q.counties.map((c) => eq('county', c)).join(' OR ')})`);
      }
      if (q.siteId !== undefined) where.push(eq('site', q.siteId));
      const series = await conn.query(
        `SELECT * FROM ${from} WHERE ${where.join(' AND ')} ORDER BY time DESC LIMIT ${Math.trunc(q.limit)}`,
        'ms',
      );
      const out: StoredSample[] = [];
      for (const s of series) {
        for (const r of rowsOf(s)) {
          const b = JSON.parse(String(r.body)) as Body;
          const siteId = String(r.site);
          const sampledAt = num(r.time);
          const sample: StoredSample = {
            id: `${siteId}.${sampledAt}`,
            siteId,
            siteKind: String(r.kind),
            schemeId: String(r.scheme),
            countyId: String(r.county),
            sampledAt,
            lab: String(r.lab),
            values: b.values,
            compliant: num(r.compliant) === 1,
            failed: b.failed,
            receivedAt: b.receivedAt,
            by: b.by,
          };
          if (b.note !== undefined) sample.note = b.note;
          out.push(sample);
        }
      }
      // Ties in time are ordered by id, as the embedded store does.
      return out.sort(
        (a, b) => b.sampledAt - a.sampledAt || (a.siteId < b.siteId ? 1 : a.siteId > b.siteId ? -1 : 0),
      );
    },
    async counts({ from: a, to: b }) {
      const series = await conn.query(
        `SELECT count("compliant"), sum("compliant") FROM ${from} WHERE ${within(a, b)} GROUP BY "scheme", "county"`,
        'ms',
      );
      const out: LabCount[] = [];
      for (const s of series) {
        const v = s.values[0];
        if (!v || !s.tags) continue;
        out.push({
          schemeId: s.tags.scheme ?? '',
          countyId: s.tags.county ?? '',
          samples: num(v[1]),
          compliant: num(v[2]),
        });
      }
      return out.sort((x, y) =>
        x.schemeId === y.schemeId ? (x.countyId < y.countyId ? -1 : 1) : x.schemeId < y.schemeId ? -1 : 1,
      );
    },
  };
}
