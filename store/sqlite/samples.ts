/** Laboratory samples in the embedded store: one row per site and sampling time, values as JSON. */
import type Database from 'better-sqlite3';
import type { LabCount, SampleQuery, StoredSample } from '../telemetry-store.js';

export interface SamplesTable {
  write(samples: readonly StoredSample[]): void;
  query(q: SampleQuery): StoredSample[];
  counts(q: { from: number; to: number }): LabCount[];
}

interface Row {
  site_id: string;
  sampled_at: number;
  site_kind: string;
  scheme_id: string;
  county_id: string;
  lab: string;
  body: string;
  compliant: number;
}

/** Its own table, created if absent, so the readings schema version is untouched by it. */
const SCHEMA = `
  CREATE TABLE IF NOT EXISTS lab_samples (
    site_id TEXT NOT NULL,
    sampled_at INTEGER NOT NULL,
    site_kind TEXT NOT NULL,
    scheme_id TEXT NOT NULL,
    county_id TEXT NOT NULL,
    lab TEXT NOT NULL,
    compliant INTEGER NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (site_id, sampled_at)
  ) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS lab_samples_by_time ON lab_samples (sampled_at);
`;

/** The parts not in their own column: values, failed indicators, who sent it and when, the note. */
type Body = Pick<StoredSample, 'values' | 'failed' | 'receivedAt' | 'by' | 'note'>;

function fromRow(r: Row): StoredSample {
  const b = JSON.parse(r.body) as Body;
  const s: StoredSample = {
    id: `${r.site_id}.${r.sampled_at}`,
    siteId: r.site_id,
    siteKind: r.site_kind,
    schemeId: r.scheme_id,
    countyId: r.county_id,
    sampledAt: r.sampled_at,
    lab: r.lab,
    values: b.values,
    compliant: r.compliant === 1,
    failed: b.failed,
    receivedAt: b.receivedAt,
    by: b.by,
  };
  if (b.note !== undefined) s.note = b.note;
  return s;
}

export function createSamplesTable(db: Database.Database): SamplesTable {
  db.exec(SCHEMA);
  const upsert = db.prepare(
    `INSERT OR REPLACE INTO lab_samples (site_id, sampled_at, site_kind, scheme_id, county_id, lab, compliant, body)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const writeAll = db.transaction((samples: readonly StoredSample[]) => {
    for (const s of samples) {
      const body: Body = { values: s.values, failed: s.failed, receivedAt: s.receivedAt, by: s.by };
      if (s.note !== undefined) body.note = s.note;
      upsert.run(
        s.siteId,
        s.sampledAt,
        s.siteKind,
        s.schemeId,
        s.countyId,
        s.lab,
        s.compliant ? 1 : 0,
        JSON.stringify(body),
      );
    }
  });
  const counts = db.prepare<
    [number, number],
    { schemeId: string; countyId: string; samples: number; compliant: number }
  >(
    `SELECT scheme_id AS schemeId, county_id AS countyId, count(*) AS samples, sum(compliant) AS compliant
     FROM lab_samples WHERE sampled_at >= ? AND sampled_at <= ?
     GROUP BY scheme_id, county_id ORDER BY scheme_id, county_id`,
  );

  return {
    write: (samples) => writeAll(samples),
    query(q) {
      const where = ['sampled_at >= ?', 'sampled_at <= ?'];
      const args: (string | number)[] = [q.from, q.to];
      if (q.countyId !== undefined) {
        where.push('county_id = ?');
        args.push(q.countyId);
      }
      if (q.counties !== undefined) {
        where.push(`county_id IN (${q.counties.map(() => '?').join(',') || 'NULL'})`);
        args.push(...q.counties);
      }
      if (q.siteId !== undefined) {
        where.push('site_id = ?');
        args.push(q.siteId);
      }
      args.push(q.limit);
      const rows = db
        .prepare<(string | number)[], Row>(
          `SELECT * FROM lab_samples WHERE ${where.join(' AND ')} ORDER BY sampled_at DESC, site_id DESC LIMIT ?`,
        )
        .all(...args);
      return rows.map(fromRow);
    },
    counts: ({ from, to }) => counts.all(from, to),
  };
}
