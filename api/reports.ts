/** GET /api/v1/reports/monthly: a county's or the region's month as XLSX, a printable page, or JSON. */
import { Hono } from 'hono';
import { z } from 'zod';
import type { Alert } from '../core/alert.js';
import { computeCoverage } from '../core/coverage/compute.js';
import { type Registry, timeZoneOf } from '../core/registry.js';
import { buildMonthlyReport } from '../core/report/monthly.js';
import { parsePeriod } from '../core/time-zone.js';
import type { TelemetryStore } from '../store/telemetry-store.js';
import { type ApiEnv, assertCounty } from './auth.js';
import { suspectQuality } from './coverage-suspect.js';
import { enumParam, idParam, parseQuery } from './params.js';
import { badRequest, forbidden } from './problem.js';
import { monthlyReportHtml } from './report-html.js';
import { monthlyReportXlsx } from './report-xlsx.js';
import type { RouteDoc } from './route-doc.js';
import { XLSX_TYPE } from './sample-file.js';

/** A month's alerts of a region run to thousands at most; past this the report says it is cut. */
const MAX_ALERTS = 20_000;

export const MonthlyQuery = z.strictObject({
  period: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, { error: 'must be a month such as 2026-11' })
    .meta({ description: 'the month, in the region time zone', examples: ['2026-11'] }),
  county: idParam('the county reported (default: the whole region)').optional(),
  format: enumParam(['xlsx', 'html', 'json'], 'xlsx (default), html (a printable page) or json').optional(),
  lang: enumParam(['zh', 'en'], 'headings in Chinese (default) or English').optional(),
});

export const reportDocs: RouteDoc[] = [
  {
    method: 'get',
    path: '/api/v1/reports/monthly',
    operationId: 'getMonthlyReport',
    tag: 'reports',
    summary: 'Monthly report: coverage against targets, compliance per scheme, alerts, actions',
    description:
      'Coverage indicators against the 2027 targets, lab and online compliance and device online rate per ' +
      'scheme, alerts raised in the month by rule with the median minutes to acknowledge and to clear, and ' +
      'the acknowledgement notes of the schemes that failed. Chinese headings unless lang=en. Operators ' +
      'limited to some counties must name one of them.',
    query: MonthlyQuery,
    responses: {
      200: { description: 'the report (XLSX, HTML or JSON)' },
    },
  },
];

export function reportRoutes(deps: {
  registry: () => Registry;
  store: TelemetryStore;
  clock: () => number;
}): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  app.get('/monthly', async (c) => {
    const q = parseQuery(MonthlyQuery, c.req.query());
    const key = c.get('key');
    const registry = deps.registry();
    const zone = timeZoneOf(registry);
    const county = q.county === undefined ? undefined : registry.counties.get(q.county);
    if (q.county !== undefined && !county)
      throw badRequest('county', `no county "${q.county}" in the registry`);
    if (county) assertCounty(key, county.id, 'reports');
    else if (key.role === 'operator' && key.counties !== undefined)
      throw forbidden(`key "${key.id}" may report only on its counties: name one with county=`);
    const period = parsePeriod(q.period, zone)!;
    const now = deps.clock();
    if (period.from > now) throw badRequest('period', 'has not begun yet');
    const window = { from: period.from, to: Math.min(period.until - 1, now) };

    const [quality, lab, lastSeen, suspect] = await Promise.all([
      deps.store.qualityCounts(window),
      deps.store.labCounts(window),
      deps.store.lastSeen(window.to),
      suspectQuality(deps.store, registry, window),
    ]);
    const inputs = { registry, window, quality, lab, suspect, lastSeen };
    const coverage = county
      ? computeCoverage(inputs, 'county').rows.find((r) => r.id === county.id)!
      : computeCoverage(inputs, 'region').rows[0]!;
    const schemeRows = computeCoverage(inputs, 'scheme')
      .rows.map((r) => ({ ...r, countyId: registry.schemes.get(r.id)!.county }))
      .filter((r) => !county || r.countyId === county.id);

    const alerts: Alert[] = [];
    let cursor: string | undefined;
    do {
      const page = await deps.store.listAlerts({
        since: window.from,
        countyId: county?.id,
        limit: 1000,
        cursor,
      });
      for (const a of page.items) if (Date.parse(a.raisedAt) <= window.to) alerts.push(a);
      cursor = page.nextCursor;
    } while (cursor !== undefined && alerts.length < MAX_ALERTS);

    const place = county
      ? { id: county.id, name: county.name, level: 'county' as const }
      : { id: registry.file.region.id, name: registry.file.region.name, level: 'region' as const };
    const report = buildMonthlyReport({
      period: q.period,
      timeZone: zone,
      place,
      window,
      coverage,
      schemeRows,
      alerts,
    });
    const lang = q.lang ?? 'zh';
    const format = q.format ?? 'xlsx';
    if (format === 'json') return c.json(report);
    if (format === 'html') return c.html(await monthlyReportHtml(report, lang));
    const bytes = await monthlyReportXlsx(report, lang);
    return c.body(bytes as Uint8Array<ArrayBuffer>, 200, {
      'content-type': XLSX_TYPE,
      'content-disposition': `attachment; filename="report-${place.id}-${q.period}.xlsx"`,
    });
  });
  return app;
}
