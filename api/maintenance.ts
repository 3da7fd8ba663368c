/** Maintenance windows: an operator of the county, or an admin, silences a site, scheme or device for a while. */
import { Hono } from 'hono';
import { MaintenanceWindow } from '../core/notify/maintenance.js';
import type { Registry } from '../core/registry.js';
import { parseTime } from '../core/time.js';
import type { MaintenanceStore } from '../notify/maintenance-store.js';
import { type ApiEnv, assertCounty, assertRole, scopeOf } from './auth.js';
import { NoQuery, parseQuery } from './params.js';
import { badRequest, notFound } from './problem.js';
import type { RouteDoc } from './route-doc.js';
import { Problem } from './schemas/common.js';
import {
  MAX_WINDOW_MS,
  MaintenanceBody,
  MaintenanceList,
  MaintenanceListQuery,
} from './schemas/maintenance.js';

export interface MaintenanceRoutesDeps {
  registry: () => Registry;
  maintenance: MaintenanceStore;
  clock: () => number;
}

const WRITE_ROLES = ['operator', 'admin'] as const;
const problem = { description: '', schema: Problem, contentType: 'application/problem+json' };

export const maintenanceDocs: RouteDoc[] = [
  {
    method: 'get',
    path: '/api/v1/maintenance',
    operationId: 'listMaintenance',
    tag: 'maintenance',
    summary: 'Maintenance windows, earliest start first',
    description: 'Current and future windows unless `all=true`. An operator key sees only its counties.',
    query: MaintenanceListQuery,
    responses: { 200: { description: 'the windows', schema: MaintenanceList } },
  },
  {
    method: 'post',
    path: '/api/v1/maintenance',
    operationId: 'createMaintenance',
    tag: 'maintenance',
    summary: 'Schedule a maintenance window',
    description:
      'Alerts raised inside the window (at or after startsAt, before endsAt) at the site, scheme or device ' +
      'are stored with `suppressed: true` and notify nobody; see them with `GET /api/v1/alerts?suppressed=true`. ' +
      'An operator may schedule only in its counties.',
    body: MaintenanceBody,
    roles: WRITE_ROLES,
    responses: {
      201: { description: 'the window', schema: MaintenanceWindow },
      400: { ...problem, description: 'a field is missing or wrong; the problem names it' },
    },
  },
  {
    method: 'delete',
    path: '/api/v1/maintenance/{id}',
    operationId: 'deleteMaintenance',
    tag: 'maintenance',
    summary: 'End a maintenance window now (delete it)',
    description: 'Alerts raised from now on notify again. Alerts raised while it ran stay suppressed.',
    pathParams: { id: 'the window id' },
    roles: WRITE_ROLES,
    responses: {
      204: { description: 'deleted' },
      404: { ...problem, description: 'no such window' },
    },
  },
];

function countyOf(registry: Registry, scope: string, target: string): string | undefined {
  if (scope === 'device') return registry.devices.get(target)?.countyId;
  const schemeId = scope === 'site' ? registry.sites.get(target)?.scheme : target;
  return schemeId === undefined ? undefined : registry.schemes.get(schemeId)?.county;
}

async function body(req: Request) {
  let json: unknown;
  try {
    json = await req.json();
  } catch {
    throw badRequest('body', 'is not JSON');
  }
  const r = MaintenanceBody.safeParse(json);
  if (r.success) return r.data;
  const i = r.error.issues[0]!;
  const param = i.code === 'unrecognized_keys' ? (i.keys[0] ?? 'body') : String(i.path[0] ?? 'body');
  throw badRequest(param, i.message);
}

export function maintenanceRoutes(deps: MaintenanceRoutesDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();

  app.get('/', (c) => {
    const q = parseQuery(MaintenanceListQuery, c.req.query());
    const key = c.get('key');
    if (q.county !== undefined) {
      if (!deps.registry().counties.has(q.county))
        throw badRequest('county', `no county "${q.county}" in the registry`);
      assertCounty(key, q.county, 'maintenance windows');
    }
    const items = deps.maintenance.list({
      counties: scopeOf(key),
      countyId: q.county,
      endingAfter: q.all ? undefined : deps.clock(),
    });
    return c.json({ items });
  });

  app.post('/', async (c) => {
    parseQuery(NoQuery, c.req.query());
    const key = c.get('key');
    assertRole(key, WRITE_ROLES, 'schedule maintenance');
    const b = await body(c.req.raw);
    const registry = deps.registry();
    const countyId = countyOf(registry, b.scope, b.target);
    if (countyId === undefined) throw badRequest('target', `no ${b.scope} "${b.target}" in the registry`);
    assertCounty(key, countyId, 'maintenance windows');
    const now = deps.clock();
    const startsAt = b.startsAt === undefined ? now : parseTime(b.startsAt);
    if (startsAt === null)
      throw badRequest('startsAt', 'must be an RFC 3339 time with offset or epoch milliseconds');
    const endsAt = parseTime(b.endsAt);
    if (endsAt === null)
      throw badRequest('endsAt', 'must be an RFC 3339 time with offset or epoch milliseconds');
    if (endsAt <= startsAt) throw badRequest('endsAt', 'must be after startsAt');
    if (endsAt <= now) throw badRequest('endsAt', 'is in the past; the window would silence nothing');
    if (endsAt - startsAt > MAX_WINDOW_MS) throw badRequest('endsAt', 'a window lasts at most 31 days');
    const win = deps.maintenance.add(
      { scope: b.scope, target: b.target, countyId, startsAt, endsAt, reason: b.reason, createdBy: key.id },
      now,
    );
    return c.json(win, 201);
  });

  app.delete('/:id', (c) => {
    parseQuery(NoQuery, c.req.query());
    const key = c.get('key');
    assertRole(key, WRITE_ROLES, 'end maintenance');
    const id = c.req.param('id');
    const win = deps.maintenance.get(id);
    if (!win) throw notFound(`no maintenance window "${id}"`);
    assertCounty(key, win.countyId, 'maintenance windows');
    deps.maintenance.remove(id);
    return c.body(null, 204);
  });

  return app;
}
