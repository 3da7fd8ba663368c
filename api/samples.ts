/** Lab sample routes: submit (JSON, CSV or XLSX) judged against GB 5749-2022 with lab alerts, and list. */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AlertEvent } from '../core/alert.js';
import { describeLimit, judgeSample } from '../core/lab/judge.js';
import { labIndicator } from '../core/lab/limits.js';
import { LabSampleInput, type StoredSample, sampleId } from '../core/lab/sample.js';
import { type CellError, samplesFromTable } from '../core/lab/table-rows.js';
import { type Registry, timeZoneOf } from '../core/registry.js';
import type { Role } from '../core/registry-schema.js';
import { isoTime } from '../core/time.js';
import type { TelemetryStore } from '../store/telemetry-store.js';
import { type ApiEnv, assertCounty, assertRole, scopeOf } from './auth.js';
import type { ApplyLabAlerts } from './lab-alerts.js';
import { parseQuery } from './params.js';
import { badRequest, forbidden, ProblemError } from './problem.js';
import type { RouteDoc } from './route-doc.js';
import { readSampleFile, UnreadableFileError, XLSX_TYPE } from './sample-file.js';
import {
  DEFAULT_SAMPLE_LIMIT,
  SampleList,
  SampleListQuery,
  SampleReport,
  SamplesBody,
} from './schemas/samples.js';

const SUBMIT_ROLES: readonly Role[] = ['operator', 'admin'];
/** A county lab's year of results fits in a few hundred kB; 5 MiB leaves room and bounds memory. */
const MAX_BODY_BYTES = 5 * 1024 * 1024;
const DAY_MS = 86_400_000;

export const sampleDocs: RouteDoc[] = [
  {
    method: 'post',
    path: '/api/v1/samples',
    operationId: 'postSamples',
    tag: 'samples',
    summary: 'Submit laboratory samples (JSON, CSV or XLSX)',
    description:
      'Each value is judged against its GB 5749-2022 limit (表1/表2, with the 表1 note for small schemes and ' +
      'the 表2 plant-outlet chlorine range); a sample complies when every tested value does. Bad rows are ' +
      'reported by row and column and the good ones stored; 400 only when none is. A failing value raises a ' +
      '`lab-<indicator>` alert for its site, a later passing one clears it. The same site and sampledAt again ' +
      'replaces the sample. Operators of the site county and admins; 403 for a site of another county.',
    body: SamplesBody,
    fileBodies: ['text/csv', XLSX_TYPE],
    roles: SUBMIT_ROLES,
    responses: {
      200: { description: 'what was stored and what was refused', schema: SampleReport },
    },
  },
  {
    method: 'get',
    path: '/api/v1/samples',
    operationId: 'listSamples',
    tag: 'samples',
    summary: 'Laboratory samples, newest first',
    description: 'Operators see the samples of their counties (403 for another county asked for).',
    query: SampleListQuery,
    responses: { 200: { description: 'samples and their verdicts', schema: SampleList } },
  },
];

export interface SampleRoutesDeps {
  registry: () => Registry;
  store: TelemetryStore;
  clock: () => number;
  labAlerts: ApplyLabAlerts;
}

export function sampleOut(s: StoredSample) {
  const { siteKind: _kind, ...rest } = s;
  return { ...rest, sampledAt: isoTime(s.sampledAt), receivedAt: isoTime(s.receivedAt) };
}

type Rows = { samples: { row: number; input: LabSampleInput }[]; errors: CellError[] };

/** A JSON body: one sample or `{ samples }`; per-sample errors as rows (the index) and field paths. */
function jsonRows(json: unknown): Rows {
  if (json !== null && typeof json === 'object' && !Array.isArray(json) && 'samples' in json) {
    if (!Array.isArray((json as { samples: unknown }).samples))
      throw badRequest('samples', 'must be an array of samples');
    const list = (json as { samples: unknown[] }).samples;
    if (list.length === 0 || list.length > 1000) throw badRequest('samples', 'must hold 1 to 1000 samples');
    const out: Rows = { samples: [], errors: [] };
    for (const [i, item] of list.entries()) one(item, i, out);
    return out;
  }
  const out: Rows = { samples: [], errors: [] };
  one(json, 0, out);
  // A single sample that is wrong is a plain 400 naming the field (CONTRACT §7).
  const e = out.errors[0];
  if (e)
    throw badRequest(
      e.column,
      e.detail,
      out.errors.map((x) => ({ param: x.column, detail: x.detail })),
    );
  return out;
}

function one(item: unknown, row: number, out: Rows): void {
  const r = LabSampleInput.safeParse(item);
  if (r.success) out.samples.push({ row, input: r.data });
  else
    for (const iss of r.error.issues)
      out.errors.push({
        row,
        column: iss.path.join('.') || 'body',
        detail: iss.code === 'invalid_type' && iss.input === undefined ? 'is required' : iss.message,
      });
}

export function sampleRoutes(deps: SampleRoutesDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();

  app.post(
    '/',
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: () => {
        throw new ProblemError(413, 'Content Too Large', `body: at most ${MAX_BODY_BYTES} bytes`, {
          param: 'body',
        });
      },
    }),
    async (c) => {
      const key = c.get('key');
      assertRole(key, SUBMIT_ROLES, 'submit lab samples');
      const registry = deps.registry();
      const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
      let rows: Rows;
      if (type === 'text/csv' || type === XLSX_TYPE) {
        const bytes = new Uint8Array(await c.req.arrayBuffer());
        if (bytes.length === 0) throw badRequest('body', 'the file is empty');
        try {
          const cells = await readSampleFile(bytes, type === 'text/csv' ? 'csv' : 'xlsx');
          rows = samplesFromTable(cells, timeZoneOf(registry));
        } catch (e) {
          if (e instanceof UnreadableFileError) throw badRequest('body', e.message);
          throw e;
        }
      } else if (type === 'application/json' || type === '') {
        let json: unknown;
        try {
          json = await c.req.json();
        } catch {
          throw badRequest('body', 'must be JSON, text/csv or an XLSX workbook');
        }
        rows = jsonRows(json);
      } else {
        throw new ProblemError(
          415,
          'Unsupported Media Type',
          `body: ${type} is not JSON, text/csv or ${XLSX_TYPE}`,
          {
            param: 'body',
          },
        );
      }

      const now = deps.clock();
      const judged: {
        row: number;
        sample: StoredSample;
        verdicts: ReturnType<typeof judgeSample>['verdicts'];
      }[] = [];
      const errors = [...rows.errors];
      const refused = new Set<string>();
      for (const { row, input } of rows.samples) {
        const site = registry.sites.get(input.site);
        const scheme = site ? registry.schemes.get(site.scheme) : undefined;
        if (!site || !scheme) {
          errors.push({ row, column: 'site', detail: `no site "${input.site}" in the registry` });
          continue;
        }
        if (site.kind === 'source') {
          // CONTRACT §5: raw water falls under GB 3838 / GB/T 14848, not the drinking-water limits.
          errors.push({
            row,
            column: 'site',
            detail: `"${site.id}" is a source: raw water is not judged by GB 5749-2022`,
          });
          continue;
        }
        if (input.sampledAt > now + 5 * 60_000) {
          errors.push({ row, column: 'sampledAt', detail: 'is in the future' });
          continue;
        }
        if (key.role === 'operator' && key.counties !== undefined && !key.counties.includes(scheme.county)) {
          refused.add(scheme.county);
          continue;
        }
        const verdict = judgeSample(input.values, { kind: site.kind, small: !scheme.scale });
        const sample: StoredSample = {
          id: sampleId(site.id, input.sampledAt),
          siteId: site.id,
          siteKind: site.kind,
          schemeId: scheme.id,
          countyId: scheme.county,
          sampledAt: input.sampledAt,
          lab: input.lab,
          values: input.values,
          compliant: verdict.compliant,
          failed: verdict.failed,
          receivedAt: now,
          by: key.id,
        };
        if (input.note !== undefined) sample.note = input.note;
        judged.push({ row, sample, verdicts: verdict.verdicts });
      }
      // Scope is all or nothing: storing part of another county's file would be a surprise either way.
      if (refused.size > 0)
        throw forbidden(
          `key "${key.id}" has no access to samples of county ${[...refused].map((c) => `"${c}"`).join(', ')}`,
        );
      errors.sort((a, b) => a.row - b.row);
      if (judged.length === 0) {
        const first = errors[0];
        throw new ProblemError(
          400,
          'Bad Request',
          first ? `row ${first.row}, ${first.column}: ${first.detail}` : 'body: holds no sample',
          { param: first?.column ?? 'body', rows: errors },
        );
      }
      await deps.store.writeSamples(judged.map((j) => j.sample));
      const events: AlertEvent[] = await deps.labAlerts(judged);
      return c.json({
        stored: judged.length,
        samples: judged.map(({ row, sample, verdicts }) => ({
          ...sampleOut(sample),
          row,
          verdicts: verdicts.map((v) => ({
            ...v,
            limit: describeLimit(v.limit, labIndicator(v.indicator)?.unit ?? ''),
          })),
        })),
        errors,
        alerts: events.map((e) => ({ type: e.type, id: e.alert.id, ruleId: e.alert.ruleId })),
      });
    },
  );

  app.get('/', async (c) => {
    const q = parseQuery(SampleListQuery, c.req.query());
    const key = c.get('key');
    const registry = deps.registry();
    if (q.county !== undefined) {
      if (!registry.counties.has(q.county))
        throw badRequest('county', `no county "${q.county}" in the registry`);
      assertCounty(key, q.county, 'samples');
    }
    if (q.site !== undefined) {
      const site = registry.sites.get(q.site);
      if (!site) throw badRequest('site', `no site "${q.site}" in the registry`);
      const county = registry.schemes.get(site.scheme)?.county;
      if (county) assertCounty(key, county, 'samples');
    }
    const to = q.to ?? deps.clock();
    const from = q.from ?? to - 31 * DAY_MS;
    if (from > to) throw badRequest('from', 'must not be after to');
    const items = await deps.store.querySamples({
      from,
      to,
      countyId: q.county,
      counties: scopeOf(key),
      siteId: q.site,
      limit: q.limit ?? DEFAULT_SAMPLE_LIMIT,
    });
    return c.json({ items: items.map(sampleOut) });
  });

  return app;
}
