/** Keys, roles and failed-attempt limiting through app.request(); unknown routes as problem+json. */
import { afterEach, describe, expect, it } from 'vitest';
import { apiKey } from '../helpers/small-registry.js';
import { type ApiFixture, createFixture, json } from './fixture.js';

const GUARDED = [
  '/api/v1/alerts',
  '/api/v1/alerts/any-id',
  '/api/v1/alerts/stream',
  '/api/v1/coverage',
  '/api/v1/devices',
  '/api/v1/devices/d-0001/readings?metric=chlorine',
];

describe('authentication', () => {
  let f: ApiFixture;
  let now = 1_800_000_000_000;
  afterEach(() => f.close());

  it('answers 401 problem+json without a key or with an unknown key, on every route', async () => {
    f = createFixture({ options: { authFailures: { limit: 1000, windowMs: 60_000, maxAddresses: 10 } } });
    for (const path of [...GUARDED, '/api/v1/alerts/x/ack']) {
      const method = path.endsWith('/ack') ? 'POST' : 'GET';
      const none = await f.call(path, { key: null, method });
      expect(none.status, path).toBe(401);
      expect(none.headers.get('content-type')).toBe('application/problem+json');
      expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
      const res = await f.app.request(path, { method, headers: { authorization: 'Bearer wl-not-a-key' } });
      expect(res.status, path).toBe(401);
      expect(await json(res)).toMatchObject({ status: 401, title: 'Unauthorized' });
    }
    const lower = await f.app.request('/api/v1/alerts', {
      headers: { authorization: `bearer ${apiKey('planner')}` },
    });
    expect(lower.status).toBe(200);
    const basic = await f.app.request('/api/v1/alerts', { headers: { authorization: 'Basic YTpi' } });
    expect(basic.status).toBe(401);
  });

  it('lets every role read, and accepts the key in any case of "Bearer"', async () => {
    f = createFixture();
    for (const key of ['demo-admin', 'planner', 'ops-xiji']) {
      for (const path of GUARDED.filter((p) => !p.includes('stream') && !p.includes('any-id'))) {
        const res = await f.call(path, { key });
        expect(res.status, `${key} ${path}`).toBe(200);
      }
    }
  });

  it('blocks an address after 10 wrong keys in a minute with 429 and Retry-After, then lets it in again', async () => {
    f = createFixture({ clock: () => now });
    const wrong = (address: string) =>
      f.app.request(
        '/api/v1/alerts',
        { headers: { authorization: 'Bearer guess' } },
        { incoming: { socket: { remoteAddress: address } } },
      );
    for (let i = 0; i < 10; i++) expect((await wrong('198.51.100.7')).status).toBe(401);
    const blocked = await wrong('198.51.100.7');
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get('content-type')).toBe('application/problem+json');
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another address is not affected.
    expect((await f.call('/api/v1/alerts', { address: '198.51.100.8' })).status).toBe(200);
    now += 61_000;
    expect((await wrong('198.51.100.7')).status).toBe(401);
  });

  it('still lets every valid key in from an address blocked for wrong keys (many clients behind one NAT)', async () => {
    f = createFixture({ clock: () => now });
    const nat = '203.0.113.9';
    const wrong = () =>
      f.app.request(
        '/api/v1/alerts',
        { headers: { authorization: 'Bearer guess' } },
        { incoming: { socket: { remoteAddress: nat } } },
      );
    for (let i = 0; i < 10; i++) expect((await wrong()).status).toBe(401);
    expect((await wrong()).status).toBe(429);
    for (const key of ['demo-admin', 'planner', 'ops-xiji']) {
      expect((await f.call('/api/v1/alerts', { key, address: nat })).status, key).toBe(200);
      expect((await f.call('/ui/session', { key, address: nat })).status, key).toBe(200);
    }
    // The valid keys did not lift the block for further wrong ones.
    expect((await wrong()).status).toBe(429);
  });

  it('counts wrong keys on the pages and on the API against one budget per address', async () => {
    f = createFixture({ clock: () => now });
    const wrong = (path: string) =>
      f.app.request(
        path,
        { headers: { authorization: 'Bearer guess' } },
        { incoming: { socket: { remoteAddress: '198.51.100.20' } } },
      );
    for (let i = 0; i < 5; i++) expect((await wrong('/api/v1/alerts')).status).toBe(401);
    for (let i = 0; i < 5; i++) expect((await wrong('/ui/session')).status).toBe(401);
    expect((await wrong('/ui/session')).status).toBe(429);
    expect((await wrong('/api/v1/devices')).status).toBe(429);
  });

  it('does not count requests without a key as failed attempts', async () => {
    f = createFixture({ clock: () => now });
    for (let i = 0; i < 20; i++) expect((await f.call('/api/v1/alerts', { key: null })).status).toBe(401);
    expect((await f.call('/api/v1/alerts')).status).toBe(200);
  });
});

describe('routes without a key, and unknown routes', () => {
  let f: ApiFixture;
  afterEach(() => f.close());

  it('serves /healthz, /readyz, /metrics, /openapi.json and /docs without a key', async () => {
    f = createFixture();
    for (const path of ['/healthz', '/readyz', '/metrics', '/openapi.json', '/docs']) {
      expect((await f.app.request(path)).status, path).toBe(200);
    }
  });

  it('answers unknown routes 404 problem+json', async () => {
    f = createFixture();
    for (const [path, key] of [
      ['/nowhere', null],
      ['/api/v2/alerts', null],
      ['/api/v1/nowhere', 'demo-admin'],
      ['/docs/secret.txt', null],
    ] as const) {
      const res = await f.call(path, { key });
      expect(res.status, path).toBe(404);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(await json(res)).toMatchObject({ status: 404, instance: path });
    }
    expect((await f.call('/api/v1/alerts', { method: 'DELETE' })).status).toBe(404);
  });
});
