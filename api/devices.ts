/** Routes for devices: the list with online state and last-seen time, and one device's readings. */
import { Hono } from 'hono';
import { type Registry, timeZoneOf } from '../core/registry.js';
import { isoTime } from '../core/time.js';
import type { TelemetryStore } from '../store/telemetry-store.js';
import { type ApiEnv, assertCounty, seesCounty } from './auth.js';
import { parseQuery } from './params.js';
import { badRequest, echo, notFound } from './problem.js';
import { rebucket } from './rebucket.js';
import { fineBucketMs, rebucketLocalDays } from './rebucket-days.js';
import type { RouteDoc } from './route-doc.js';
import { Problem } from './schemas/common.js';
import { DeviceList, DeviceListQuery, Readings, ReadingsQuery } from './schemas/devices.js';

export interface DeviceRoutesDeps {
  registry: () => Registry;
  store: TelemetryStore;
  /** Whether the device is connected to the broker now. */
  online: (deviceId: string) => boolean;
  clock: () => number;
}

const DAY_MS = 86_400_000;
/** Bounds one response: a year of raw minute data would be 525,600 points; ask for `every` instead. */
const MAX_POINTS = 100_000;

export const deviceDocs: RouteDoc[] = [
  {
    method: 'get',
    path: '/api/v1/devices',
    operationId: 'listDevices',
    tag: 'devices',
    summary: 'Devices with their online state and last-seen time',
    description: 'An operator key sees only its counties.',
    query: DeviceListQuery,
    responses: { 200: { description: 'the devices', schema: DeviceList } },
  },
  {
    method: 'get',
    path: '/api/v1/devices/{id}/readings',
    operationId: 'getReadings',
    tag: 'devices',
    summary: "One metric of a device's readings, raw or downsampled",
    description:
      'Without `every`, raw values as points of count 1; with it, epoch-aligned buckets (ts = bucket start) ' +
      '(whole days: local days of region.timeZone, default Asia/Shanghai, each stamped with its local midnight) ' +
      `with mean, min, max and count. At most ${MAX_POINTS} points per answer.`,
    pathParams: { id: 'the device id' },
    query: ReadingsQuery,
    responses: {
      200: { description: 'the points, oldest first', schema: Readings },
      404: { description: 'no such device', schema: Problem, contentType: 'application/problem+json' },
    },
  },
];

export function deviceRoutes(deps: DeviceRoutesDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();

  app.get('/', async (c) => {
    const q = parseQuery(DeviceListQuery, c.req.query());
    const key = c.get('key');
    const registry = deps.registry();
    if (q.county !== undefined) {
      if (!registry.counties.has(q.county))
        throw badRequest('county', `no county "${q.county}" in the registry`);
      assertCounty(key, q.county, 'devices');
    }
    const lastSeen = await deps.store.lastSeen();
    const items = [...registry.devices.values()]
      .filter((d) => seesCounty(key, d.countyId) && (q.county === undefined || d.countyId === q.county))
      .map((d) => {
        const seen = lastSeen.get(d.id);
        return {
          id: d.id,
          siteId: d.siteId,
          schemeId: d.schemeId,
          countyId: d.countyId,
          metrics: d.metrics,
          intervalS: d.intervalS,
          online: deps.online(d.id),
          lastSeen: seen === undefined ? null : isoTime(seen),
        };
      });
    return c.json({ items });
  });

  app.get('/:id/readings', async (c) => {
    const device = deps.registry().devices.get(c.req.param('id'));
    if (!device) throw notFound(`no device ${echo(c.req.param('id'))}`);
    assertCounty(c.get('key'), device.countyId, 'devices');
    const q = parseQuery(ReadingsQuery, c.req.query());
    const metric = q.metric as (typeof device.metrics)[number];
    if (!device.metricSet.has(metric)) {
      throw badRequest(
        'metric',
        `device "${device.id}" does not report ${metric}; it reports ${device.metrics.join(', ')}`,
      );
    }
    const to = q.to ?? deps.clock();
    const from = q.from ?? to - DAY_MS;
    if (from > to) throw badRequest('from', 'must not be after to');
    const everyMs = q.every;
    if (everyMs !== undefined && (to - from) / everyMs > MAX_POINTS) {
      throw badRequest(
        'every',
        `gives more than ${MAX_POINTS} buckets over this window; choose a longer one`,
      );
    }
    // Whole days are local days of the region (CONTRACT §6), not UTC days.
    const zone = timeZoneOf(deps.registry());
    const days = everyMs !== undefined && everyMs % DAY_MS === 0 ? everyMs / DAY_MS : 0;
    const storeEvery = days > 0 ? fineBucketMs(from, to, zone) : everyMs;
    // Raw values are limited in the store: one more than fits tells that the window holds too many.
    let points = await deps.store.queryReadings({
      deviceId: device.id,
      metric,
      from,
      to,
      everyMs: storeEvery,
      ...(everyMs === undefined ? { limit: MAX_POINTS + 1 } : {}),
    });
    if (days > 0) points = rebucketLocalDays(points, days, zone);
    else if (everyMs !== undefined) points = rebucket(points, everyMs);
    else if (points.length > MAX_POINTS) {
      throw badRequest('every', `is required: this window holds more than ${MAX_POINTS} raw values`);
    }
    return c.json({
      deviceId: device.id,
      metric,
      points: points.map((p) => ({
        ts: isoTime(p.ts),
        mean: p.mean,
        min: p.min,
        max: p.max,
        count: p.count,
      })),
    });
  });

  return app;
}
