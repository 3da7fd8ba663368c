/** Routes for devices: the list with online state and last-seen time, and one device's readings. */
import { Hono } from 'hono';
import { METRIC_NAMES } from '../core/metrics.js';
import type { Registry } from '../core/registry.js';
import { isoTime } from '../core/time.js';
import type { TelemetryStore } from '../store/telemetry-store.js';
import { type ApiEnv, assertCounty, seesCounty } from './auth.js';
import { badRequest, notFound } from './problem.js';
import { durationParam, enumParam, onlyParams, timeParam } from './query.js';

export interface DeviceRoutesDeps {
  registry: () => Registry;
  store: TelemetryStore;
  /** Whether the device is connected to the broker now. */
  online: (deviceId: string) => boolean;
}

const DAY_MS = 86_400_000;
/** Bounds one response: a year of raw minute data would be 525,600 points; ask for `every` instead. */
const MAX_POINTS = 100_000;

export function deviceRoutes(deps: DeviceRoutesDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();

  app.get('/', async (c) => {
    onlyParams(c.req.query(), []);
    const key = c.get('key');
    const lastSeen = await deps.store.lastSeen();
    const items = [...deps.registry().devices.values()]
      .filter((d) => seesCounty(key, d.countyId))
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
    const q = c.req.query();
    onlyParams(q, ['metric', 'from', 'to', 'every']);
    const device = deps.registry().devices.get(c.req.param('id'));
    if (!device) throw notFound(`no device "${c.req.param('id')}"`);
    assertCounty(c.get('key'), device.countyId, 'devices');
    if (q.metric === undefined)
      throw badRequest('metric', `is required; one of ${device.metrics.join(', ')}`);
    const metric = enumParam('metric', q.metric, METRIC_NAMES)!;
    if (!device.metricSet.has(metric)) {
      throw badRequest(
        'metric',
        `device "${device.id}" does not report ${metric}; it reports ${device.metrics.join(', ')}`,
      );
    }
    const to = timeParam('to', q.to) ?? Date.now();
    const from = timeParam('from', q.from) ?? to - DAY_MS;
    if (from > to) throw badRequest('from', 'must not be after to');
    const everyMs = durationParam('every', q.every);
    if (everyMs !== undefined && (to - from) / everyMs > MAX_POINTS) {
      throw badRequest(
        'every',
        `gives more than ${MAX_POINTS} buckets over this window; choose a longer one`,
      );
    }
    const points = await deps.store.queryReadings({ deviceId: device.id, metric, from, to, everyMs });
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
