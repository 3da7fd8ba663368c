/** End to end: a simulated device's reading travels broker → ingest → embedded store → API. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { apiKey, smallRegistry } from '../helpers/small-registry.js';
import { waitFor } from '../helpers/wait-for.js';

interface DeviceItem {
  id: string;
  online: boolean;
  lastSeen: string | null;
  countyId: string;
}

describe('the platform in one process', () => {
  let p: TestPlatform;
  const get = async (path: string, key = apiKey('demo-admin')) => {
    const res = await fetch(`${p.httpUrl}${path}`, { headers: { authorization: `Bearer ${key}` } });
    return {
      status: res.status,
      type: res.headers.get('content-type'),
      body: (await res.json()) as Record<string, unknown>,
    };
  };

  beforeAll(async () => {
    p = await startTestPlatform(smallRegistry(), { sim: true });
  });
  afterAll(async () => {
    await p?.stop();
  });

  it('shows simulated devices online with a reading, and serves their points', async () => {
    const items = await waitFor(async () => {
      const r = await get('/api/v1/devices');
      const list = r.body.items as DeviceItem[];
      return list.every((d) => d.online && d.lastSeen !== null) && list;
    }, 'every device online with a reading');
    expect(items.map((d) => d.id).sort()).toEqual(['d-0001', 'd-0002', 'd-0003']);

    const r = await get('/api/v1/devices/d-0002/readings?metric=pressure');
    expect(r.status).toBe(200);
    const points = r.body.points as { ts: string; mean: number; count: number }[];
    expect(points.length).toBeGreaterThan(0);
    expect(points[0]!.count).toBe(1);
    expect(points[0]!.mean).toBeGreaterThan(0.1);
    expect(points[0]!.mean).toBeLessThan(0.6);
    expect(Date.parse(points[0]!.ts)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('scopes an operator key to its counties', async () => {
    const r = await get('/api/v1/devices', apiKey('ops-xiji'));
    expect((r.body.items as DeviceItem[]).map((d) => d.countyId)).toEqual(['xiji', 'xiji']);
    const other = await get('/api/v1/devices/d-0003/readings?metric=chlorine', apiKey('ops-xiji'));
    expect(other.status).toBe(403);
    expect(other.type).toBe('application/problem+json');
  });

  it('answers without a key 401, and a bad query 400 naming the parameter', async () => {
    const res = await fetch(`${p.httpUrl}/api/v1/devices`);
    expect(res.status).toBe(401);
    const bad = await get('/api/v1/devices/d-0001/readings?metric=chlorine&every=5x');
    expect(bad.status).toBe(400);
    expect(bad.body.param).toBe('every');
    const missing = await get('/api/v1/devices/d-0001/readings');
    expect(missing.body).toMatchObject({ status: 400, param: 'metric' });
    const undeclared = await get('/api/v1/devices/d-0001/readings?metric=pressure');
    expect(undeclared.body.detail).toMatch(/does not report pressure/);
  });

  it('answers /healthz without a key', async () => {
    const res = await fetch(`${p.httpUrl}/healthz`);
    expect(res.status).toBe(200);
  });
});
