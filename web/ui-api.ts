/** Small JSON routes only the pages use: who the key is, the names of a county's places, devices' last values. */
import { Hono, type MiddlewareHandler } from 'hono';
import { type ApiEnv, assertCounty, requireKey, seesCounty } from '../api/auth.js';
import { createFailureLimiter } from '../api/auth-limiter.js';
import { badRequest, echo } from '../api/problem.js';
import { activeSession } from '../api/session.js';
import type { Metric } from '../core/metrics.js';
import { MAX_FUTURE_MS } from '../core/reading.js';
import type { DeviceInfo, Registry } from '../core/registry.js';
import type { RuleOverride } from '../core/registry-schema.js';
import { rulesFor } from '../core/rules/settings.js';
import { isoTime } from '../core/time.js';
import type { LatestValues, TelemetryStore } from '../store/telemetry-store.js';
import { pickLocale } from './locale.js';

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

/**
 * The pages show each metric's newest value from the last day: one store query for a county's devices
 * (TelemetryStore.latestValues), however many devices and metrics. A device silent longer shows none,
 * and its lastSeen says since when.
 */
const LAST_VALUES_WINDOW_MS = 24 * 3_600_000;

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
    const name = localName(c);
    const counties = [...reg.counties.values()]
      .filter((county) => seesCounty(key, county.id))
      .map((county) => ({ id: county.id, name: name(county), prefecture: county.prefecture }));
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
    const name = localName(c);
    const schemes = [...reg.schemes.values()]
      .filter((s) => s.county === countyId)
      .map((s) => ({ id: s.id, name: name(s), scale: s.scale, integrated: s.integrated }));
    const schemeIds = new Set(schemes.map((s) => s.id));
    const sites = [...reg.sites.values()]
      .filter((s) => schemeIds.has(s.scheme))
      .map((s) => ({
        id: s.id,
        scheme: s.scheme,
        kind: s.kind,
        name: s.name === undefined ? null : name({ name: s.name, nameEn: s.nameEn }),
        upstream: s.upstream ?? null,
      }));
    return c.json({ countyId, schemes, sites });
  });

  app.get('/latest', async (c) => {
    const countyId = requiredCounty(c.req.query('county'), deps.registry());
    assertCounty(c.get('key'), countyId, 'devices');
    const devices = [...deps.registry().devices.values()].filter((d) => d.countyId === countyId);
    const to = (deps.clock ?? Date.now)();
    const latest = await deps.store.latestValues({
      deviceIds: devices.map((d) => d.id),
      from: to - LAST_VALUES_WINDOW_MS,
      // Readings up to 5 minutes ahead of this clock are accepted (CONTRACT §3): they are the newest.
      to: to + MAX_FUTURE_MS,
    });
    const overrides = deps.registry().file.rules ?? [];
    const items = devices.map((d) => ({
      deviceId: d.id,
      values: shown(d, latest.get(d.id)),
      // The threshold rules in force for this device, for the limit lines on its charts.
      limits: thresholdLimits(d, overrides),
    }));
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
  if (!reg.counties.has(raw)) throw badRequest('county', `no county ${echo(raw)}`);
  return raw;
}

/** The device's declared metrics only, with times as RFC 3339. */
function shown(
  d: DeviceInfo,
  values: LatestValues | undefined,
): Partial<Record<Metric, { value: number; ts: string }>> {
  const out: Partial<Record<Metric, { value: number; ts: string }>> = {};
  for (const metric of d.metrics) {
    const v = values?.[metric];
    if (v) out[metric] = { value: v.value, ts: isoTime(v.ts) };
  }
  return out;
}

/** The English pages use a registry entry's `nameEn` where it has one; `name` (Chinese) otherwise. */
function localName(c: Parameters<typeof pickLocale>[0]): (x: { name: string; nameEn?: string }) => string {
  const en = pickLocale(c) === 'en';
  return (x) => (en ? (x.nameEn ?? x.name) : x.name);
}
