/** Alert routes: the filtered, paged list; one alert with its history; acknowledgement. */
import { Hono } from 'hono';
import { Alert } from '../core/alert.js';
import type { Registry } from '../core/registry.js';
import type { TelemetryStore } from '../store/telemetry-store.js';
import type { Acknowledge } from './acknowledge.js';
import { type ApiEnv, assertCounty, assertRole, scopeOf } from './auth.js';
import { NoQuery, parseQuery } from './params.js';
import { badRequest, notFound } from './problem.js';
import type { RouteDoc } from './route-doc.js';
import {
  AckBody,
  AlertListQuery,
  AlertPage,
  AlertWithHistory,
  DEFAULT_ALERT_LIMIT,
} from './schemas/alerts.js';
import { Problem } from './schemas/common.js';

export interface AlertRoutesDeps {
  registry: () => Registry;
  store: TelemetryStore;
  acknowledge: Acknowledge;
}

const ACK_ROLES = ['operator', 'admin'] as const;

export const alertDocs: RouteDoc[] = [
  {
    method: 'get',
    path: '/api/v1/alerts',
    operationId: 'listAlerts',
    tag: 'alerts',
    summary: 'List alerts, newest raisedAt first',
    description:
      'Filters combine with AND. Pages are stable: follow `nextCursor` until it is absent. An operator ' +
      'key sees only its counties.',
    query: AlertListQuery,
    responses: { 200: { description: 'a page of alerts', schema: AlertPage } },
  },
  {
    method: 'get',
    path: '/api/v1/alerts/{id}',
    operationId: 'getAlert',
    tag: 'alerts',
    summary: 'One alert with its history of events',
    pathParams: { id: 'the alert id' },
    responses: {
      200: { description: 'the alert and its events', schema: AlertWithHistory },
      404: { description: 'no such alert', schema: Problem, contentType: 'application/problem+json' },
    },
  },
  {
    method: 'post',
    path: '/api/v1/alerts/{id}/ack',
    operationId: 'acknowledgeAlert',
    tag: 'alerts',
    summary: 'Acknowledge an alert',
    description:
      'Idempotent: a repeat changes nothing, emits no event, and keeps the first acknowledgedAt, ' +
      'acknowledgedBy (the key id) and note. Acknowledging does not clear.',
    pathParams: { id: 'the alert id' },
    body: AckBody,
    roles: ACK_ROLES,
    responses: {
      200: { description: 'the acknowledged alert', schema: Alert },
      404: { description: 'no such alert', schema: Problem, contentType: 'application/problem+json' },
    },
  },
];

/** The body is optional: no body, or an empty one, is `{}`. */
async function ackBody(req: Request): Promise<{ note?: string }> {
  const text = await req.text();
  if (text.trim() === '') return {};
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw badRequest('body', 'is not JSON; send {"note": "..."} or nothing');
  }
  const r = AckBody.safeParse(json);
  if (r.success) return r.data;
  const i = r.error.issues[0]!;
  const param = i.code === 'unrecognized_keys' ? (i.keys[0] ?? 'body') : String(i.path[0] ?? 'body');
  throw badRequest(param, i.code === 'unrecognized_keys' ? 'unknown field; the body takes note' : i.message);
}

export function alertRoutes(deps: AlertRoutesDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();

  app.get('/', async (c) => {
    const q = parseQuery(AlertListQuery, c.req.query());
    const key = c.get('key');
    const registry = deps.registry();
    if (q.county !== undefined) {
      if (!registry.counties.has(q.county))
        throw badRequest('county', `no county "${q.county}" in the registry`);
      assertCounty(key, q.county, 'alerts');
    }
    if (q.device !== undefined) {
      const device = registry.devices.get(q.device);
      if (!device) throw badRequest('device', `no device "${q.device}" in the registry`);
      assertCounty(key, device.countyId, 'alerts');
    }
    const page = await deps.store.listAlerts({
      active: q.active,
      acknowledged: q.acknowledged,
      severity: q.severity,
      countyId: q.county,
      counties: scopeOf(key),
      deviceId: q.device,
      since: q.since,
      suppressed: q.suppressed,
      limit: q.limit ?? DEFAULT_ALERT_LIMIT,
      cursor: q.cursor,
    });
    return c.json(page);
  });

  app.get('/:id', async (c) => {
    parseQuery(NoQuery, c.req.query());
    const found = await deps.store.getAlert(c.req.param('id'));
    if (!found) throw notFound(`no alert "${c.req.param('id')}"`);
    assertCounty(c.get('key'), found.alert.countyId, 'alerts');
    return c.json({ ...found.alert, events: found.events });
  });

  app.post('/:id/ack', async (c) => {
    parseQuery(NoQuery, c.req.query());
    const key = c.get('key');
    assertRole(key, ACK_ROLES, 'acknowledge alerts');
    const { note } = await ackBody(c.req.raw);
    const id = c.req.param('id');
    const result = await deps.acknowledge(id, key.id, note, (alert) =>
      assertCounty(key, alert.countyId, 'alerts'),
    );
    if (!result) throw notFound(`no alert "${id}"`);
    return c.json(result.alert);
  });

  return app;
}
