/** The web routes through app.request(): pages in both languages, assets with caching, the pages' JSON routes. */
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProblemError, problemResponse } from '../../api/problem.js';
import { parseRegistry, type Registry } from '../../core/registry.js';
import { createSqliteStore } from '../../store/sqlite-store.js';
import type { TelemetryStore } from '../../store/telemetry-store.js';
import { webRoutes } from '../../web/routes.js';
import { apiKey, smallRegistry } from '../helpers/small-registry.js';

describe('the web routes', () => {
  let store: TelemetryStore;
  let registry: Registry;
  let app: Hono;
  const auth = (id: string) => ({ headers: { authorization: `Bearer ${apiKey(id)}` } });

  beforeAll(() => {
    const parsed = parseRegistry(smallRegistry());
    if (!parsed.ok) throw new Error('registry');
    registry = parsed.value;
    store = createSqliteStore({ path: ':memory:' });
    // Mounted the way createApp mounts it, with the API's problem+json error mapping.
    app = new Hono();
    app.route('/', webRoutes({ registry: () => registry, store }));
    app.onError((e, c) => (e instanceof ProblemError ? problemResponse(c, e) : c.text(String(e), 500)));
  });
  afterAll(async () => {
    await store?.close();
  });

  it('renders the pages in Chinese by default, with a strict content security policy', async () => {
    for (const path of ['/', '/alerts', '/devices', '/coverage']) {
      const res = await app.request(path);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
      const body = await res.text();
      expect(body.startsWith('<!doctype html>')).toBe(true);
      expect(body).toContain('<html lang="zh-CN">');
    }
    expect(await (await app.request('/coverage')).text()).toContain('2027');
  });

  it('switches to English with ?lang=en and remembers it in a cookie', async () => {
    const res = await app.request('/alerts?lang=en');
    expect(await res.text()).toContain('<html lang="en">');
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/wl-lang=en/);
    const again = await app.request('/alerts', { headers: { cookie: 'wl-lang=en' } });
    expect(await again.text()).toContain('Alert board');
  });

  it('serves the bundled script and stylesheet with types and revalidation', async () => {
    const js = await app.request('/assets/app.js');
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(js.headers.get('cache-control')).toBe('no-cache');
    const etag = js.headers.get('etag');
    expect(etag).toBeTruthy();
    expect((await js.text()).length).toBeGreaterThan(10_000);
    const again = await app.request('/assets/app.js', { headers: { 'if-none-match': etag! } });
    expect(again.status).toBe(304);
    const css = await app.request('/assets/app.css');
    expect(css.headers.get('content-type')).toMatch(/^text\/css/);
    // uPlot's own stylesheet is served from here, not from a CDN.
    expect(await css.text()).toContain('.uplot');
    expect((await app.request('/assets/other.js')).status).toBe(404);
  }, 60_000);

  it('tells a signed-in key its role and counties, and refuses an unknown key', async () => {
    const ops = await app.request('/ui/session', auth('ops-xiji'));
    expect(await ops.json()).toMatchObject({
      keyId: 'ops-xiji',
      role: 'operator',
      canAcknowledge: true,
      counties: [{ id: 'xiji', name: 'Xiji' }],
    });
    const planner = (await (await app.request('/ui/session', auth('planner'))).json()) as {
      canAcknowledge: boolean;
      counties: unknown[];
    };
    expect(planner.canAcknowledge).toBe(false);
    expect(planner.counties).toHaveLength(2);
    const bad = await app.request('/ui/session', { headers: { authorization: 'Bearer nope' } });
    expect(bad.status).toBe(401);
  });

  it("gives a county's places and last values only to keys that see the county", async () => {
    const at = {
      deviceId: 'd-0001',
      siteId: 'xiji-s1-plant',
      siteKind: 'plant' as const,
      schemeId: 'xiji-s1',
    };
    const q = { countyId: 'xiji', qualitySamples: 0, qualityCompliant: 0 };
    await store.writeReadings([
      { ...at, ...q, ts: Date.now() - 60_000, values: { chlorine: 0.4, ph: 7.1 } },
      { ...at, ...q, ts: Date.now(), values: { chlorine: 0.5 } },
    ]);
    const places = (await (await app.request('/ui/places?county=xiji', auth('ops-xiji'))).json()) as {
      schemes: { id: string; name: string }[];
    };
    expect(places.schemes).toEqual([
      expect.objectContaining({ id: 'xiji-s1', name: 'Xiji integrated works' }),
    ]);
    const latest = (await (await app.request('/ui/latest?county=xiji', auth('ops-xiji'))).json()) as {
      items: { deviceId: string; values: Record<string, { value: number }> }[];
    };
    const d1 = latest.items.find((i) => i.deviceId === 'd-0001');
    expect(d1?.values.chlorine?.value).toBe(0.5);
    expect(d1?.values.ph?.value).toBe(7.1);
    expect((await app.request('/ui/latest?county=longde', auth('ops-xiji'))).status).toBe(403);
    expect((await app.request('/ui/places?county=nowhere', auth('ops-xiji'))).status).toBe(400);
  });

  it("answers the pages' last values with one store query for all of a county's devices", async () => {
    const calls: string[] = [];
    const counted: TelemetryStore = {
      ...store,
      queryReadings(q) {
        calls.push('queryReadings');
        return store.queryReadings(q);
      },
      latestReading(id) {
        calls.push('latestReading');
        return store.latestReading(id);
      },
      latestValues(q) {
        calls.push('latestValues');
        return store.latestValues(q);
      },
    };
    const counting = new Hono();
    counting.route('/', webRoutes({ registry: () => registry, store: counted }));
    const res = await counting.request('/ui/latest?county=xiji', auth('ops-xiji'));
    expect(res.status).toBe(200);
    expect(calls).toEqual(['latestValues']);
  });
});
