/** The coverage route: CONTRACT §6 indicators per region, prefecture or county, as JSON or CSV. */
import { Hono } from 'hono';
import { computeCoverage } from '../core/coverage/compute.js';
import { coverageCsv } from '../core/coverage/csv.js';
import type { Registry } from '../core/registry.js';
import { isoTime } from '../core/time.js';
import type { ApiEnv } from './auth.js';
import type { CoverageSnapshots } from './coverage-snapshots.js';
import { parseQuery } from './params.js';
import { badRequest } from './problem.js';
import type { RouteDoc } from './route-doc.js';
import { Coverage, CoverageQuery } from './schemas/coverage.js';

export interface CoverageRoutesDeps {
  registry: () => Registry;
  snapshots: CoverageSnapshots;
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
      'Without `to` the counts may be up to a minute old; `window` in the answer gives the exact window. ' +
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
    const windowMs = q.window ?? DAY_MS;
    if (windowMs > MAX_WINDOW_MS) throw badRequest('window', 'must be at most 366d');
    const counts = await deps.snapshots.get(windowMs, q.to);
    const report = computeCoverage({ registry: deps.registry(), ...counts }, q.groupBy ?? 'county');
    const window = { from: isoTime(report.window.from), to: isoTime(report.window.to) };
    if (q.format === 'csv') {
      const stamp = window.to.replace(/[-:]/g, '').replace(/\.\d+/, '');
      return c.body(coverageCsv(report.rows), 200, {
        'content-type': 'text/csv; charset=utf-8; header=present',
        'content-disposition': `attachment; filename="coverage-${report.groupBy}-${stamp}.csv"`,
      });
    }
    return c.json({ groupBy: report.groupBy, window, rows: report.rows });
  });

  return app;
}
