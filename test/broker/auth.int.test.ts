/** Broker authentication and topic guard with the real mqtt client. */
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StatusPayload, topics } from '../../core/topics.js';
import { SERVICE_PASSWORDS, startTestBroker, type TestBroker } from '../helpers/broker.js';
import { apiKey, token } from '../helpers/small-registry.js';

let b: TestBroker;
const clients: MqttClient[] = [];

beforeAll(async () => {
  b = await startTestBroker();
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.endAsync(true)));
  await b.stop();
});

/** Resolves with the CONNACK return code (0 = accepted). */
function connectCode(opts: IClientOptions): Promise<number> {
  return new Promise((resolve) => {
    const c = mqtt.connect(b.url, { reconnectPeriod: 0, connectTimeout: 5000, ...opts });
    clients.push(c);
    c.once('connect', () => resolve(0));
    c.once('error', (e) => resolve((e as { code?: number }).code ?? -1));
  });
}

/** The SUBACK return codes for some filters (128 = refused), read off the packet itself. */
function subackCodes(c: MqttClient, filters: string[]): Promise<number[]> {
  return new Promise((resolve) => {
    c.once('packetreceive', (packet) => {
      if (packet.cmd === 'suback') resolve(packet.granted as number[]);
    });
    c.subscribe(filters, { qos: 1 }, () => undefined);
  });
}

async function connected(opts: IClientOptions): Promise<MqttClient> {
  const c = await mqtt.connectAsync(b.url, { reconnectPeriod: 0, ...opts });
  clients.push(c);
  return c;
}

describe('broker authentication', () => {
  it('refuses anonymous, wrong-token and unknown-device connections', async () => {
    expect(await connectCode({ clientId: 'anon' })).toBe(5);
    expect(await connectCode({ clientId: 'd-0001', username: 'd-0001', password: 'wrong' })).toBe(4);
    expect(await connectCode({ clientId: 'd-9999', username: 'd-9999', password: token('d-9999') })).toBe(4);
    expect(await connectCode({ clientId: 'svc:ingest', username: 'svc:ingest', password: 'guess' })).toBe(4);
  });

  it('refuses a client id that belongs to another identity', async () => {
    expect(await connectCode({ clientId: 'svc:ingest', username: 'd-0001', password: token('d-0001') })).toBe(
      2,
    );
  });

  it('lets a device publish its telemetry, which the ingest account receives', async () => {
    const ingest = await connected({
      clientId: 'svc:ingest',
      username: 'svc:ingest',
      password: SERVICE_PASSWORDS.ingest,
    });
    await ingest.subscribeAsync(topics.allTelemetry, { qos: 1 });
    const got = new Promise<string>((resolve) => ingest.once('message', (t, p) => resolve(`${t} ${p}`)));
    const dev = await connected({ clientId: 'd-0001', username: 'd-0001', password: token('d-0001') });
    await dev.publishAsync(topics.telemetry('d-0001'), '{"ts":1,"values":{"ph":7}}', { qos: 1 });
    expect(await got).toBe('wl/v1/d-0001/telemetry {"ts":1,"values":{"ph":7}}');
  });

  it('disconnects a device that publishes on another device topic, and nothing reaches ingest', async () => {
    const ingest = await connected({
      clientId: 'svc:ingest:t2',
      username: 'svc:ingest',
      password: SERVICE_PASSWORDS.ingest,
    });
    await ingest.subscribeAsync(topics.allTelemetry, { qos: 1 });
    const seen: string[] = [];
    ingest.on('message', (t) => seen.push(t));
    const dev = await connected({ clientId: 'd-0002', username: 'd-0002', password: token('d-0002') });
    const closed = new Promise<void>((resolve) => dev.once('close', () => resolve()));
    dev.publish(topics.telemetry('d-0001'), '{"ts":1,"values":{"ph":7}}', { qos: 1 });
    await closed;
    // A message that had passed would arrive within milliseconds on loopback; wait for a round trip instead.
    await ingest.publishAsync(topics.errors('d-0002'), 'x', { qos: 1 });
    expect(seen).toEqual([]);
  });

  it('refuses a subscription to another device and to $SYS, and grants its own', async () => {
    const dev = await connected({ clientId: 'd-0003', username: 'd-0003', password: token('d-0003') });
    expect(await subackCodes(dev, ['wl/v1/d-0001/#', '$SYS/#', 'wl/v1/d-0003/#'])).toEqual([128, 128, 1]);
  });

  it('publishes retained online status for a device, readable by a watcher key', async () => {
    const watcher = await connected({
      clientId: 'key:planner',
      username: 'key:planner',
      password: apiKey('planner'),
    });
    const status = new Promise<StatusPayload>((resolve) =>
      watcher.on('message', (t, p) => {
        if (t === topics.status('d-0003')) resolve(JSON.parse(p.toString()) as StatusPayload);
      }),
    );
    expect(await subackCodes(watcher, [topics.allStatus, 'wl/v1/+/telemetry'])).toEqual([1, 128]);
    expect(await status).toMatchObject({ online: true });
  });
});
