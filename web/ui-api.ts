/** Small JSON routes only the pages use: who the key is, the names of a county's places, devices' last values. */
import { Hono, type MiddlewareHandler } from 'hono';
import { type ApiEnv, assertCounty, requireKey, seesCounty } from '../api/auth.js';
import { createFailureLimiter } from '../api/auth-limiter.js';
import { badRequest } from '../api/problem.js';
import { activeSession } from '../api/session.js';
import type { Metric } from '../core/metrics.js';
import type { DeviceInfo, Registry } from '../core/registry.js';
import type { RuleOverride } from '../core/registry-schema.js';
import { rulesFor } from '../core/rules/settings.js';
import { isoTime } from '../core/time.js';
import type { TelemetryStore } from '../store/telemetry-store.js';

export interface UiApiDeps {
  registry: () => Registry;
  store: TelemetryStore;
  clock?: () => number;
  /**
   * The API's key check, to share its failed-attempt limiter with /api/v1; without it these routes
   * check keys the same way with a limiter of their own.
   */
  auth?: MiddlewareHandler<ApiEnv>;
}

/** A metric missing from a device's newest Reading is looked for this far back (or 3 × its interval). */
const LAST_VALUE_LOOKBACK_MS = 10 * 60_000;

export function uiApiRoutes(deps: UiApiDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  app.use(
    '*',
    deps.auth ??
      requireKey({ registry: deps.registry, clock: deps.clock ?? Date.now, limiter: createFailureLimiter() }),
  );

  app.get('/session', (c) => {
    const key = c.get('key');
    const reg = deps.registry();
    const counties = [...reg.counties.values()]
      .filter((county) => seesCounty(key, county.id))
      .map((county) => ({ id: county.id, name: county.name, prefecture: county.prefecture }));
    return c.json({
      keyId: key.id,
      role: key.role,
      // CONTRACT §2: viewers read; operators acknowledge alerts of their counties; admins do everything.
      canAcknowledge: key.role !== 'viewer',
      counties,
      targetsYear: reg.file.targets.year,
      // Present for a person signed in with a cookie: the page sends it back on every change (CSRF).
      csrf: activeSession(c)?.csrf ?? null,
      person: activeSession(c) !== undefined,
    });
  });

  app.get('/places', (c) => {
    const countyId = requiredCounty(c.req.query('county'), deps.registry());
    assertCounty(c.get('key'), countyId, 'places');
    const reg = deps.registry();
    const schemes = [...reg.schemes.values()]
      .filter((s) => s.county === countyId)
      .map((s) => ({ id: s.id, name: s.name, scale: s.scale, integrated: s.integrated }));
    const schemeIds = new Set(schemes.map((s) => s.id));
    const sites = [...reg.sites.values()]
      .filter((s) => schemeIds.has(s.scheme))
      .map((s) => ({
        id: s.id,
        scheme: s.scheme,
        kind: s.kind,
        name: s.name ?? null,
        upstream: s.upstream ?? null,
      }));
    return c.json({ countyId, schemes, sites });
  });

  app.get('/latest', async (c) => {
    const countyId = requiredCounty(c.req.query('county'), deps.registry());
    assertCounty(c.get('key'), countyId, 'devices');
    const devices = [...deps.registry().devices.values()].filter((d) => d.countyId === countyId);
    const seen = await deps.store.lastSeen();
    const overrides = deps.registry().file.rules ?? [];
    const items = await Promise.all(
      devices.map(async (d) => ({
        deviceId: d.id,
        values: await lastValues(deps.store, d, seen.get(d.id)),
        // The threshold rules in force for this device, for the limit lines on its charts.
        limits: thresholdLimits(d, overrides),
      })),
    );
    return c.json({ countyId, items });
  });

  return app;
}

function thresholdLimits(
  d: DeviceInfo,
  overrides: readonly RuleOverride[],
): Partial<Record<Metric, { min?: number; max?: number }>> {
  const out: Partial<Record<Metric, { min?: number; max?: number }>> = {};
  for (const s of rulesFor(d, overrides)) {
    if (s.kind !== 'threshold' || !s.metric) continue;
    const l = out[s.metric] ?? {};
    out[s.metric] = l;
    if (s.min !== undefined) l.min = Math.max(l.min ?? s.min, s.min);
    if (s.max !== undefined) l.max = Math.min(l.max ?? s.max, s.max);
  }
  return out;
}

function requiredCounty(raw: string | undefined, reg: Registry): string {
  if (raw === undefined) throw badRequest('county', 'is required');
  if (!reg.counties.has(raw)) throw badRequest('county', `no county "${raw}"`);
  return raw;
}

async function lastValues(
  store: TelemetryStore,
  d: DeviceInfo,
  lastSeen: number | undefined,
): Promise<Partial<Record<Metric, { value: number; ts: string }>>> {
  const out: Partial<Record<Metric, { value: number; ts: string }>> = {};
  if (lastSeen === undefined) return out;
  const from = lastSeen - Math.max(LAST_VALUE_LOOKBACK_MS, 3 * d.intervalS * 1000);
  for (const metric of d.metrics) {
    const points = await store.queryReadings({ deviceId: d.id, metric, from, to: lastSeen });
    const last = points.at(-1);
    if (last) out[metric] = { value: last.mean, ts: isoTime(last.ts) };
  }
  return out;
}
