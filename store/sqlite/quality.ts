/** Quality sample counts per scheme from the embedded store: rolled-up hours from the rollup, the rest from raw rows. */
import type Database from 'better-sqlite3';
import type { QualityCount } from '../telemetry-store.js';
import { splitHours } from './hours.js';
import type { ReadingsTable } from './readings.js';
import type { Rollups } from './rollups.js';

export interface QualityQueries {
  counts(q: { from: number; to: number; countyId?: string }): QualityCount[];
}

interface Dims {
  dev: number;
  schemeId: string;
  countyId: string;
}

export function createQualityQueries(
  db: Database.Database,
  readings: ReadingsTable,
  rollups: Rollups,
): QualityQueries {
  // One county: its devices by the county index, then each device's key range of the rollup.
  const hoursOf = db.prepare<[number, number, string], { dev: number; n: number; ok: number }>(
    `SELECT r.dev, sum(r.q_n) AS n, sum(r.q_ok) AS ok FROM devices d
     JOIN rollup_hour r ON r.dev = d.dev AND r.hour >= ? AND r.hour < ?
     WHERE d.county_id = ? AND r.q_n > 0 GROUP BY r.dev`,
  );
  const hoursAll = db.prepare<[number, number], { dev: number; n: number; ok: number }>(
    `SELECT r.dev, sum(r.q_n) AS n, sum(r.q_ok) AS ok FROM devices d
     JOIN rollup_hour r ON r.dev = d.dev AND r.hour >= ? AND r.hour < ?
     WHERE r.q_n > 0 GROUP BY r.dev`,
  );
  const dims = {
    all: db.prepare<[], Dims>('SELECT dev, scheme_id AS schemeId, county_id AS countyId FROM devices'),
    county: db.prepare<[string], Dims>(
      'SELECT dev, scheme_id AS schemeId, county_id AS countyId FROM devices WHERE county_id = ?',
    ),
  };

  return {
    counts({ from, to, countyId }) {
      const devices = countyId === undefined ? dims.all.all() : dims.county.all(countyId);
      const byDev = new Map(devices.map((d) => [d.dev, d]));
      const devs = countyId === undefined ? null : [...byDev.keys()];
      const split = splitHours(from, to, rollups.watermark());
      const parts: { dev: number; n: number; ok: number }[] = [];
      for (const [a, b] of split.raw) parts.push(...readings.quality(a, b, devs));
      if (split.hours) {
        const { from: a, to: b } = split.hours;
        parts.push(...(countyId === undefined ? hoursAll.all(a, b) : hoursOf.all(a, b, countyId)));
      }
      const byScheme = new Map<string, QualityCount>();
      for (const p of parts) {
        const d = byDev.get(p.dev);
        if (!d || p.n <= 0) continue;
        const k = `${d.schemeId}\u0000${d.countyId}`;
        const have = byScheme.get(k);
        if (have) {
          have.samples += p.n;
          have.compliant += p.ok;
        } else byScheme.set(k, { schemeId: d.schemeId, countyId: d.countyId, samples: p.n, compliant: p.ok });
      }
      return [...byScheme.values()].sort((a, b) =>
        a.schemeId === b.schemeId ? cmp(a.countyId, b.countyId) : cmp(a.schemeId, b.schemeId),
      );
    },
  };
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
