/** Incident routes: alerts grouped by root cause (core/incidents), listed with the filters of /alerts, and one with its alerts. */
import { Hono } from 'hono';
import { summariseIncident } from '../core/incidents/summary.js';
import { type Topology, topologyOf } from '../core/incidents/topology.js';
import type { Registry } from '../core/registry.js';
import type { TelemetryStore } from '../store/telemetry-store.js';
import { type ApiEnv, assertCounty, scopeOf } from './auth.js';
import { NoQuery, parseQuery } from './params.js';
import { badRequest, notFound } from './problem.js';
import type { RouteDoc } from './route-doc.js';
import { Problem } from './schemas/common.js';
import {
  DEFAULT_INCIDENT_LIMIT,
  IncidentListQuery,
  IncidentPage,
  IncidentWithAlerts,
} from './schemas/incidents.js';

export interface IncidentRoutesDeps {
  registry: () => Registry;
  store: TelemetryStore;
}

export const incidentDocs: RouteDoc[] = [
  {
    method: 'get',
    path: '/api/v1/incidents',
    operationId: 'listIncidents',
    tag: 'alerts',
    summary: 'List incidents (alerts grouped by root cause), newest opened first',
    description:
      'Alerts at sites connected through the registry’s `upstream` links whose times fit the travel of ' +
      'pressure or water form one incident with a root-cause site; many devices falling silent together form ' +
      'one communication incident. Filters combine with AND and judge an incident by all its alerts. An ' +
      'operator key sees only its counties (and only their alerts of a region-wide incident).',
    query: IncidentListQuery,
    responses: { 200: { description: 'a page of incidents', schema: IncidentPage } },
  },
  {
    method: 'get',
    path: '/api/v1/incidents/{id}',
    operationId: 'getIncident',
    tag: 'alerts',
    summary: 'One incident with its alerts',
    pathParams: { id: 'the incident id' },
    responses: {
      200: { description: 'the incident and its alerts', schema: IncidentWithAlerts },
      404: { description: 'no such incident', schema: Problem, contentType: 'application/problem+json' },
    },
  },
];

export function incidentRoutes(deps: IncidentRoutesDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  const topo = (): Topology => topologyOf(deps.registry());

  app.get('/', async (c) => {
    const q = parseQuery(IncidentListQuery, c.req.query());
    const key = c.get('key');
    if (q.county !== undefined) {
      if (!deps.registry().counties.has(q.county))
        throw badRequest('county', `no county "${q.county}" in the registry`);
      assertCounty(key, q.county, 'incidents');
    }
    const page = await deps.store.listIncidents({
      active: q.active,
      severity: q.severity,
      countyId: q.county,
      counties: scopeOf(key),
      since: q.since,
      limit: q.limit ?? DEFAULT_INCIDENT_LIMIT,
      cursor: q.cursor,
    });
    const t = topo();
    const items = page.items.map((g) => summariseIncident(g.id, g.alerts, t));
    return c.json(page.nextCursor ? { items, nextCursor: page.nextCursor } : { items });
  });

  app.get('/:id', async (c) => {
    parseQuery(NoQuery, c.req.query());
    const id = c.req.param('id');
    const key = c.get('key');
    const scope = scopeOf(key);
    const found = await deps.store.getIncident(id, scope);
    if (!found) {
      // An incident wholly in other counties is forbidden, not missing (CONTRACT §7, as for one alert).
      const whole = scope === undefined ? null : await deps.store.getIncident(id);
      if (whole) assertCounty(key, whole.alerts[0]!.countyId, 'incidents');
      throw notFound(`no incident "${id}"`);
    }
    return c.json({ ...summariseIncident(found.id, found.alerts, topo()), alerts: found.alerts });
  });

  return app;
}
