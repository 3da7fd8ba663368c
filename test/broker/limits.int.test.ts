/** Packet-size limit, per-device rate limit and login slow-down, with real clients. */
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topics } from '../../core/topics.js';
import { SERVICE_PASSWORDS, startTestBroker, type TestBroker } from '../helpers/broker.js';
import { token } from '../helpers/small-registry.js';
import { waitFor } from '../helpers/wait-for.js';
import { rawConnect } from './raw-client.js';

const RATE = 20;
const BURST = 10;

let b: TestBroker;
let ingest: MqttClient;
const got = new Map<string, number[]>();
const clients: MqttClient[] = [];

beforeAll(async () => {
  b = await startTestBroker(undefined, {
    deviceRate: { perSecond: RATE, burst: BURST },
    authThrottle: { freeFailures: 2, baseDelayMs: 300, maxDelayMs: 300 },
  });
  ingest = await mqtt.connectAsync(b.url, {
    clientId: 'svc:ingest',
    username: 'svc:ingest',
    password: SERVICE_PASSWORDS.ingest,
    reconnectPeriod: 0,
  });
  ingest.on('message', (topic, payload) => {
    const id = topic.split('/')[2]!;
    got.set(id, [...(got.get(id) ?? []), payload.length]);
  });
  await ingest.subscribeAsync(topics.allTelemetry, { qos: 1 });
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.endAsync(true)));
  await ingest?.endAsync(true);
  await b?.stop();
});

async function device(id: string): Promise<MqttClient> {
  const c = await mqtt.connectAsync(b.url, {
    clientId: id,
    username: id,
    password: token(id),
    reconnectPeriod: 0,
  });
  clients.push(c);
  return c;
}

describe('broker limits', () => {
  it('passes a 100 KiB message to ingest, which judges the 64 KiB payload limit itself', async () => {
    const dev = await device('d-0001');
    await dev.publishAsync(topics.telemetry('d-0001'), Buffer.alloc(100 * 1024, 0x20), { qos: 1 });
    await waitFor(async () => got.get('d-0001')?.includes(100 * 1024), '100 KiB message at ingest');
  });

  it('closes the connection on a packet over 256 KiB before it is read whole, and forwards nothing', async () => {
    const before = got.get('d-0002')?.length ?? 0;
    const raw = await rawConnect(b.url, {
      clientId: 'd-0002',
      username: 'd-0002',
      password: token('d-0002'),
    });
    // Only the fixed header and the first bytes: the broker must act on the announced length alone.
    const remaining = 300 * 1024;
    const header = Buffer.from([
      0x30,
      0x80 | (remaining & 0x7f),
      0x80 | ((remaining >> 7) & 0x7f),
      remaining >> 14,
    ]);
    raw.socket.write(Buffer.concat([header, Buffer.from([0, 22]), Buffer.from(topics.telemetry('d-0002'))]));
    await raw.closed;
    await ingest.publishAsync(topics.errors('d-0003'), 'barrier', { qos: 1 });
    expect(got.get('d-0002')?.length ?? 0).toBe(before);
    expect(await b.broker.metrics()).toMatch(/publish_refused_total\{reason="oversize"\} 1/);
  });

  it('throttles a flooding device while another device is unaffected', async () => {
    const flood = await device('d-0002');
    const calm = await device('d-0003');
    const start = Date.now();
    const FLOOD = 200;
    for (let i = 0; i < FLOOD; i++) flood.publish(topics.telemetry('d-0002'), `{"seq":${i}}`, { qos: 1 });
    // Published after the whole flood was written: a shared queue would put these behind it.
    for (let i = 0; i < 5; i++) calm.publish(topics.telemetry('d-0003'), `{"seq":${i}}`, { qos: 1 });
    await waitFor(async () => (got.get('d-0003')?.length ?? 0) >= 5, 'the calm device messages');
    const elapsedS = (Date.now() - start) / 1000;
    const flooded = got.get('d-0002')?.length ?? 0;
    // An upper bound, so a slow machine only makes it easier: the burst plus the rate over the time taken.
    expect(flooded).toBeLessThanOrEqual(BURST + Math.ceil(RATE * elapsedS) + 1);
    expect(flooded).toBeLessThan(FLOOD);
    expect(await b.broker.metrics()).toMatch(/publish_delayed_total [1-9]/);
  });

  it('slows down refusals after repeated failed logins from one address, and still refuses them', async () => {
    const attempt = async () => {
      const t = Date.now();
      const raw = await rawConnect(b.url, { clientId: 'd-0001', username: 'd-0001', password: 'guess' });
      raw.socket.destroy();
      return { code: raw.code, ms: Date.now() - t };
    };
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await attempt());
    expect(results.map((r) => r.code)).toEqual([4, 4, 4, 4]);
    // The third and fourth failures are held back at least the configured 300 ms (a lower bound).
    expect(results[2]!.ms).toBeGreaterThanOrEqual(290);
    expect(results[3]!.ms).toBeGreaterThanOrEqual(290);
    // A valid device from the same address is never held back.
    const ok = await rawConnect(b.url, {
      clientId: 'd-0001:ok',
      username: 'd-0001',
      password: token('d-0001'),
    });
    expect(ok.code).toBe(0);
    ok.socket.destroy();
  });
});
