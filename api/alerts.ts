/** Alert routes: the filtered, paged list; one alert with its history; acknowledgement and resolve. */
import { Hono } from 'hono';
import type { z } from 'zod';
import { Alert } from '../core/alert.js';
import type { Registry } from '../core/registry.js';
import type { TelemetryStore } from '../store/telemetry-store.js';
import type { Acknowledge } from './acknowledge.js';
import { type ApiEnv, assertCounty, assertRole, scopeOf } from './auth.js';
import { NoQuery, parseQuery } from './params.js';
import { badRequest, echo, notFound, ProblemError } from './problem.js';
import type { Resolve } from './resolve.js';
import type { RouteDoc } from './route-doc.js';
import {
  AckBody,
  AlertListQuery,
  AlertPage,
  AlertWithHistory,
  DEFAULT_ALERT_LIMIT,
  ResolveBody,
} from './schemas/alerts.js';
import { Problem } from './schemas/common.js';

export interface AlertRoutesDeps {
  registry: () => Registry;
  store: TelemetryStore;
  acknowledge: Acknowledge;
  resolve: Resolve;
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
  {
    method: 'post',
    path: '/api/v1/alerts/{id}/resolve',
    operationId: 'resolveAlert',
    tag: 'alerts',
    summary: 'End an active alert by hand',
    description:
      "An operator of the alert's county, or an admin, ends an ACTIVE alert: it becomes inactive with " +
      '`clearedAt`, `resolvedBy` (the key id) and `resolutionNote`, and a `resolved` AlertEvent is added ' +
      'to its history and sent on the stream and on MQTT. The rule forgets it, so breaching Readings ' +
      'after it raise a new alert as usual. Acknowledgement is unchanged. An alert that is no longer ' +
      'active (cleared by its rule, or resolved already, also by a repeat of this request) is a 409 ' +
      'whose `alert` member is the alert as it stands: nothing changes and no event is sent.',
    pathParams: { id: 'the alert id' },
    body: ResolveBody,
    roles: ACK_ROLES,
    responses: {
      200: { description: 'the resolved alert', schema: Alert },
      404: { description: 'no such alert', schema: Problem, contentType: 'application/problem+json' },
      409: {
        description: 'the alert is not active (cleared or resolved already); `alert` holds it',
        schema: Problem,
        contentType: 'application/problem+json',
      },
    },
  },
];

/** The body is optional: no body, or an empty one, is `{}`. */
async function ackBody(req: Request): Promise<{ note?: string }> {
  const text = await req.text();
  if (text.trim() === '') return {};
  return jsonBody(text, AckBody, 'send {"note": "..."} or nothing');
}

async function resolveBody(req: Request): Promise<{ note: string }> {
  const text = await req.text();
  if (text.trim() === '') throw badRequest('note', 'is required: send {"note": "why it is resolved"}');
  return jsonBody(text, ResolveBody, 'send {"note": "why it is resolved"}');
}

/** Parses a JSON body by a strict schema; the problem names the field (or `body` when it is not JSON). */
function jsonBody<S extends z.ZodObject>(text: string, schema: S, hint: string): z.output<S> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw badRequest('body', `is not JSON; ${hint}`);
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json))
    throw badRequest('body', `must be a JSON object; ${hint}`);
  const r = schema.safeParse(json);
  if (r.success) return r.data;
  const i = r.error.issues[0]!;
  const param = i.code === 'unrecognized_keys' ? (i.keys[0] ?? 'body') : String(i.path[0] ?? 'body');
  const known = Object.keys(schema.shape).join(', ');
  throw badRequest(
    param.length > 64 ? `${param.slice(0, 64)}…` : param,
    i.code === 'unrecognized_keys' ? `unknown field; the body takes ${known}` : i.message,
  );
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
    if (!found) throw notFound(`no alert ${echo(c.req.param('id'))}`);
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
    if (!result) throw notFound(`no alert ${echo(id)}`);
    return c.json(result.alert);
  });

  app.post('/:id/resolve', async (c) => {
    parseQuery(NoQuery, c.req.query());
    const key = c.get('key');
    assertRole(key, ACK_ROLES, 'resolve alerts');
    const { note } = await resolveBody(c.req.raw);
    const id = c.req.param('id');
    const result = await deps.resolve(id, key.id, note, (alert) =>
      assertCounty(key, alert.countyId, 'alerts'),
    );
    if (!result) throw notFound(`no alert ${echo(id)}`);
    if (!result.ok) {
      const how = result.alert.resolvedBy
        ? `was resolved by "${result.alert.resolvedBy}"`
        : 'was cleared by its rule';
      throw new ProblemError(
        409,
        'Conflict',
        `alert ${echo(id)} is not active: it ${how} at ${result.alert.clearedAt}`,
        {
          alert: result.alert,
        },
      );
    }
    return c.json(result.alert);
  });

  return app;
}
