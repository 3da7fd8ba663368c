/** Scale-out with Redis: persistent sessions survive a broker restart, instances share subscriptions. */
import mqtt, { type MqttClient } from 'mqtt';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisBackends } from '../../broker/redis-backends.js';
import { type StatusPayload, topics } from '../../core/topics.js';
import { SERVICE_PASSWORDS, startTestBroker, type TestBroker } from '../helpers/broker.js';
import { token } from '../helpers/small-registry.js';
import { waitFor } from '../helpers/wait-for.js';
import { skipRedis, startRedis, type TestRedis } from './redis-server.js';

const log = pino({ level: process.env.TEST_LOG ?? 'silent' });
let redis: TestRedis;
const brokers: TestBroker[] = [];
const clients: MqttClient[] = [];

async function brokerOnRedis(): Promise<TestBroker> {
  const b = await startTestBroker(undefined, { backends: await createRedisBackends(redis.url, log) });
  brokers.push(b);
  return b;
}

async function connect(b: TestBroker, clientId: string, username: string, password: string, clean = true) {
  const c = await mqtt.connectAsync(b.url, { clientId, username, password, clean, reconnectPeriod: 0 });
  clients.push(c);
  return c;
}
const ingestOn = (b: TestBroker, clientId: string, clean = true) =>
  connect(b, clientId, 'svc:ingest', SERVICE_PASSWORDS.ingest, clean);
const deviceOn = (b: TestBroker, id: string) => connect(b, id, id, token(id));

describe.skipIf(skipRedis)('broker on Redis', () => {
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.endAsync(true)));
    for (const b of brokers) await b.stop();
    await redis?.stop();
  });

  it('delivers a QoS 1 message queued for an offline persistent session after a broker restart', async () => {
    const first = await brokerOnRedis();
    const sub = await ingestOn(first, 'svc:ingest:restart', false);
    await sub.subscribeAsync(topics.allTelemetry, { qos: 1 });
    await sub.endAsync();

    const dev = await deviceOn(first, 'd-0001');
    await dev.publishAsync(topics.telemetry('d-0001'), '{"seq":42}', { qos: 1 }); // PUBACKed: the broker owns it
    await dev.endAsync();
    await first.stop();

    const second = await brokerOnRedis();
    const got = new Promise<string>((resolve) => {
      const c = mqtt.connect(second.url, {
        clientId: 'svc:ingest:restart',
        username: 'svc:ingest',
        password: SERVICE_PASSWORDS.ingest,
        clean: false,
        reconnectPeriod: 0,
      });
      clients.push(c);
      c.on('message', (t, p) => {
        if (t === topics.telemetry('d-0001')) resolve(String(p));
      });
    });
    expect(await got).toBe('{"seq":42}');
  });

  it('delivers a message published on instance A to a subscriber on instance B', async () => {
    const a = await brokerOnRedis();
    const b = await brokerOnRedis();
    const sub = await ingestOn(b, 'svc:ingest:b');
    const got = new Promise<string>((resolve) => sub.on('message', (t, p) => resolve(`${t} ${p}`)));
    await sub.subscribeAsync(topics.allTelemetry, { qos: 1 });
    const dev = await deviceOn(a, 'd-0002');
    await dev.publishAsync(topics.telemetry('d-0002'), '{"seq":1}', { qos: 1 });
    expect(await got).toBe('wl/v1/d-0002/telemetry {"seq":1}');
  });

  it('on a graceful stop refuses new connections, lets its clients go and stores their offline status', async () => {
    const b = await brokerOnRedis();
    await deviceOn(b, 'd-0001');
    await b.stop();
    brokers.splice(brokers.indexOf(b), 1);
    await expect(mqtt.connectAsync(b.url, { reconnectPeriod: 0, connectTimeout: 2000 })).rejects.toThrow();
    // A fresh instance reads the retained status the stopped one flushed to Redis before it closed.
    const next = await brokerOnRedis();
    const watcher = await connect(next, 'svc:api:after', 'svc:api', SERVICE_PASSWORDS.api);
    const status = new Promise<StatusPayload>((resolve) =>
      watcher.on('message', (_t, p) => resolve(JSON.parse(String(p)) as StatusPayload)),
    );
    await watcher.subscribeAsync(topics.status('d-0001'), { qos: 1 });
    expect((await status).online).toBe(false);
  });

  it('keeps a device online when it reconnects through another instance', async () => {
    const a = await brokerOnRedis();
    const b = await brokerOnRedis();
    const watcher = await connect(a, 'svc:api:w', 'svc:api', SERVICE_PASSWORDS.api);
    const seen: boolean[] = [];
    watcher.on('message', (_t, p) => seen.push((JSON.parse(String(p)) as StatusPayload).online));
    await watcher.subscribeAsync(topics.status('d-0003'), { qos: 1 });
    await deviceOn(a, 'd-0003');
    await waitFor(async () => seen.at(-1) === true, 'online via A');
    // Same client id on B: A closes its connection ([MQTT-3.1.4-2] across the cluster).
    await deviceOn(b, 'd-0003');
    await waitFor(async () => seen.length >= 2, 'status from B');
    await waitFor(async () => !a.broker.connectedDevices().has('d-0003'), 'A to close its connection');
    await watcher.publishAsync(topics.alerts('xiji'), '{}', { qos: 1 }); // a round trip through A's bus
    expect(seen).not.toContain(false);
  });
});
