/** End to end: a simulated device's reading travels broker → ingest → embedded store → API. */
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSse } from '../api/sse-client.js';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { apiKey, smallRegistry, token } from '../helpers/small-registry.js';
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

describe('alerts through the platform, from a device to an operator', () => {
  let p: TestPlatform;
  beforeAll(async () => {
    p = await startTestPlatform(smallRegistry(), { sim: false });
  });
  afterAll(async () => {
    await p?.stop();
  });

  it('lists and streams an alert raised by ingest, and publishes its acknowledgement on MQTT', async () => {
    const auth = (key: string) => ({ authorization: `Bearer ${apiKey(key)}` });
    const stream = await openSse(`${p.httpUrl}/api/v1/alerts/stream`, auth('ops-xiji'));
    const watcher = await mqtt.connectAsync(p.mqttUrl, {
      clientId: 'key:demo-admin:e2e',
      username: 'key:demo-admin',
      password: apiKey('demo-admin'),
      reconnectPeriod: 0,
    });
    const device = await mqtt.connectAsync(p.mqttUrl, {
      clientId: 'd-0001',
      username: 'd-0001',
      password: token('d-0001'),
      reconnectPeriod: 0,
    });
    try {
      expect(stream.status).toBe(200);
      await stream.waitFor((f) => f.comment === 'connected', 'the stream to open');
      const onMqtt: { type: string; alert: { id: string; acknowledgedBy?: string } }[] = [];
      watcher.on('message', (_t, payload) => onMqtt.push(JSON.parse(payload.toString())));
      await watcher.subscribeAsync('wl/v1/alerts/xiji', { qos: 1 });

      // GB 5749-2022: 1.5 NTU at a plant outlet breaches 1 NTU; the rule raises on the second Reading.
      const now = Date.now();
      for (const ts of [now - 2000, now - 1000]) {
        await device.publishAsync(
          'wl/v1/d-0001/telemetry',
          JSON.stringify({ ts, values: { turbidity: 1.5, chlorine: 0.5, ph: 7.2 } }),
          { qos: 1 },
        );
      }
      const alert = await waitFor(async () => {
        const res = await fetch(`${p.httpUrl}/api/v1/alerts?active=true&device=d-0001`, {
          headers: auth('ops-xiji'),
        });
        const body = (await res.json()) as { items: { id: string; ruleId: string }[] };
        return body.items.find((a) => a.ruleId === 'turbidity-max');
      }, 'the turbidity alert in the API');
      await stream.waitFor(
        (f) => f.data?.includes(alert.id) ?? false,
        'the raised event on the stream',
        10_000,
      );

      const ack = await fetch(`${p.httpUrl}/api/v1/alerts/${alert.id}/ack`, {
        method: 'POST',
        headers: { ...auth('ops-xiji'), 'content-type': 'application/json' },
        body: JSON.stringify({ note: 'flushing the filter' }),
      });
      expect(ack.status).toBe(200);
      const published = await waitFor(
        async () => onMqtt.find((e) => e.type === 'acknowledged' && e.alert.id === alert.id),
        'the acknowledgement on wl/v1/alerts/xiji',
      );
      expect(published.alert.acknowledgedBy).toBe('ops-xiji');
    } finally {
      stream.close();
      await device.endAsync();
      await watcher.endAsync();
    }
  });

  it('is ready with the store and the broker, and exposes API and broker metrics', async () => {
    const ready = await fetch(`${p.httpUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { store: 'ok', ingest: 'ok' } });
    const metrics = await (await fetch(`${p.httpUrl}/metrics`)).text();
    expect(metrics).toContain('waterline_http_requests_total');
    expect(metrics).toContain('waterline_broker_');
  });
});
