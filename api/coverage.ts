/** The coverage route: CONTRACT §6 indicators per region, prefecture or county, as JSON or CSV. */
import { Hono } from 'hono';
import { computeCoverage } from '../core/coverage/compute.js';
import { coverageCsv } from '../core/coverage/csv.js';
import { type Registry, timeZoneOf } from '../core/registry.js';
import { isoTime } from '../core/time.js';
import { parsePeriod } from '../core/time-zone.js';
import type { ApiEnv } from './auth.js';
import type { CoverageSnapshots } from './coverage-snapshots.js';
import { parseQuery } from './params.js';
import { badRequest } from './problem.js';
import type { RouteDoc } from './route-doc.js';
import { Coverage, CoverageQuery } from './schemas/coverage.js';

export interface CoverageRoutesDeps {
  registry: () => Registry;
  snapshots: CoverageSnapshots;
  clock: () => number;
}

const DAY_MS = 86_400_000;
/** A year covers any planning question; a longer window is almost certainly a typo (36500d). */
const MAX_WINDOW_MS = 366 * DAY_MS;

export const coverageDocs: RouteDoc[] = [
  {
    method: 'get',
    path: '/api/v1/coverage',
    operationId: 'getCoverage',
    tag: 'coverage',
    summary: 'Coverage indicators and the gap to the targets',
    description:
      'Every indicator of CONTRACT §6 with numerator, denominator, target and gap (target − value). A ' +
      'village counts in its own county. For a county row standardizedCountyShare is 1/1 or 0/1: whether ' +
      'that county meets the tapWaterRate, scaleCoverage, qualityCompliance and monitoringOnline targets. ' +
      'An answer reflects every Reading stored more than 5 s before the request; `window` in the answer gives ' +
      'the exact window. `period` (2026-11, 2026-Q4, 2026) takes a calendar period in the region time zone. ' +
      'labCompliance: lab samples meeting every tested GB 5749-2022 limit / lab samples. safeWaterCoverage ' +
      'judges each scheme on lab or online samples (registry coverage.safeWaterBasis, default lab where the ' +
      'scheme has lab samples). A null value carries a `reason` (no-quality-data: no sample at all). ' +
      'Every role may read coverage for every county.',
    query: CoverageQuery,
    responses: {
      200: { description: 'one row per region, prefecture or county', schema: Coverage },
    },
  },
];

export function coverageRoutes(deps: CoverageRoutesDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();

  app.get('/', async (c) => {
    const q = parseQuery(CoverageQuery, c.req.query());
    const registry = deps.registry();
    const zone = timeZoneOf(registry);
    let windowMs = q.window ?? DAY_MS;
    let to = q.to;
    if (q.period !== undefined) {
      if (q.window !== undefined || q.to !== undefined)
        throw badRequest('period', 'takes the place of window and to; give one or the other');
      const p = parsePeriod(q.period, zone);
      if (!p) throw badRequest('period', 'must be a month (2026-11), a quarter (2026-Q4) or a year (2026)');
      const now = deps.clock();
      if (p.from > now) throw badRequest('period', 'has not begun yet');
      // The period's last millisecond, or now while it runs (window bounds are inclusive).
      to = Math.min(p.until - 1, now);
      windowMs = to - p.from;
    }
    if (windowMs > MAX_WINDOW_MS) throw badRequest('window', 'must be at most 366d');
    const counts = await deps.snapshots.get(windowMs, to);
    const report = computeCoverage({ registry, ...counts }, q.groupBy ?? 'county');
    const window = { from: isoTime(report.window.from), to: isoTime(report.window.to) };
    const period = q.period === undefined ? {} : { period: q.period, timeZone: zone };
    if (q.format === 'csv') {
      const stamp = window.to.replace(/[-:]/g, '').replace(/\.\d+/, '');
      return c.body(coverageCsv(report.rows), 200, {
        'content-type': 'text/csv; charset=utf-8; header=present',
        'content-disposition': `attachment; filename="coverage-${report.groupBy}-${stamp}.csv"`,
      });
    }
    return c.json({ groupBy: report.groupBy, window, ...period, rows: report.rows });
  });

  return app;
}
