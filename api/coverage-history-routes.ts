/** GET /api/v1/coverage/history: the daily snapshots of every indicator, one series per place. */
import { Hono } from 'hono';
import { z } from 'zod';
import { HISTORY_LEVELS } from '../core/coverage/history.js';
import { type Registry, timeZoneOf } from '../core/registry.js';
import { parseTime } from '../core/time.js';
import { addDays, localDate, startOfDay, zonedToUtc } from '../core/time-zone.js';
import type { TelemetryStore } from '../store/telemetry-store.js';
import type { ApiEnv } from './auth.js';
import { enumParam, idParam, parseQuery } from './params.js';
import { badRequest } from './problem.js';
import type { RouteDoc } from './route-doc.js';
import { components } from './schemas/common.js';
import { CoverageRow } from './schemas/coverage.js';

/** Two years of days: a trend long enough for the 2027 targets, bounded per answer. */
const MAX_DAYS = 731;

const dayParam = (description: string) =>
  z
    .string()
    .refine((s) => /^\d{4}-\d{2}-\d{2}$/.test(s) || parseTime(s) !== null, {
      error: 'must be a local date YYYY-MM-DD, an RFC 3339 time with offset or epoch milliseconds',
    })
    .meta({ description: `${description}; a local date (YYYY-MM-DD) in the region time zone, or a time` });

export const HistoryQuery = z.strictObject({
  groupBy: enumParam(HISTORY_LEVELS, 'region, prefecture or county (default county)').optional(),
  from: dayParam('first day (default 30 days before `to`)').optional(),
  to: dayParam('last day (default today)').optional(),
  id: idParam('only the series of this place').optional(),
});

export const CoverageHistoryOut = z
  .object({
    groupBy: z.enum(HISTORY_LEVELS),
    timeZone: z.string(),
    from: z.string(),
    to: z.string(),
    series: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        nameEn: z.string().optional(),
        points: z.array(
          z.object({
            day: z.string(),
            final: z.boolean().meta({ description: 'false while the day runs' }),
            ruralPopulation: z.number(),
            indicators: CoverageRow.shape.indicators,
          }),
        ),
      }),
    ),
  })
  .meta({ description: 'daily coverage snapshots, one series per place, oldest day first' });
components.add(CoverageHistoryOut, { id: 'CoverageHistory' });

export const coverageHistoryDocs: RouteDoc[] = [
  {
    method: 'get',
    path: '/api/v1/coverage/history',
    operationId: 'getCoverageHistory',
    tag: 'coverage',
    summary: 'Daily coverage snapshots: each indicator per day, for the trend against the 2027 targets',
    description:
      'One snapshot per local day of the region time zone, taken with the registry in force that day: a ' +
      'registry reload shows from the day it happened. The running day is provisional (`final: false`). ' +
      'Every role may read it.',
    query: HistoryQuery,
    responses: { 200: { description: 'series per place', schema: CoverageHistoryOut } },
  },
];

export function coverageHistoryRoutes(deps: {
  registry: () => Registry;
  store: TelemetryStore;
  clock: () => number;
}): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  app.get('/', async (c) => {
    const q = parseQuery(HistoryQuery, c.req.query());
    const zone = timeZoneOf(deps.registry());
    const dayOf = (s: string): number => {
      const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
      if (!d) return startOfDay(parseTime(s)!, zone);
      return zonedToUtc({ year: +d[1]!, month: +d[2]!, day: +d[3]!, hour: 0, minute: 0, second: 0 }, zone);
    };
    const to = q.to === undefined ? startOfDay(deps.clock(), zone) : dayOf(q.to);
    const from = q.from === undefined ? addDays(to, -30, zone) : dayOf(q.from);
    if (from > to) throw badRequest('from', 'must not be after to');
    if (to - from > MAX_DAYS * 86_400_000) throw badRequest('from', `at most ${MAX_DAYS} days per answer`);
    const level = q.groupBy ?? 'county';
    const days = await deps.store.coverageDays({ level, from, to });
    const series = new Map<string, z.infer<typeof CoverageHistoryOut>['series'][number]>();
    for (const d of days) {
      if (q.id !== undefined && d.row.id !== q.id) continue;
      let s = series.get(d.row.id);
      if (!s) {
        s = { id: d.row.id, name: d.row.name, points: [] };
        if (d.row.nameEn !== undefined) s.nameEn = d.row.nameEn;
        series.set(d.row.id, s);
      }
      // The latest name wins: a renamed county reads under its current name.
      s.name = d.row.name;
      s.points.push({
        day: d.day,
        final: d.final,
        ruralPopulation: d.row.ruralPopulation,
        indicators: d.row.indicators,
      });
    }
    return c.json({
      groupBy: level,
      timeZone: zone,
      from: localDate(from, zone),
      to: localDate(to, zone),
      series: [...series.values()],
    });
  });
  return app;
}
