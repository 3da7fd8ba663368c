/** Authentication and topic guard seen from a third-party client: Debian's mosquitto_pub and mosquitto_sub. */
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topics } from '../../core/topics.js';
import { SERVICE_PASSWORDS, startTestBroker, type TestBroker } from '../helpers/broker.js';
import { token } from '../helpers/small-registry.js';
import { runMosquitto } from './mosquitto-clients.js';

let b: TestBroker;
let ingest: MqttClient;
const received: string[] = [];

beforeAll(async () => {
  b = await startTestBroker();
  ingest = await mqtt.connectAsync(b.url, {
    clientId: 'svc:ingest',
    username: 'svc:ingest',
    password: SERVICE_PASSWORDS.ingest,
    reconnectPeriod: 0,
  });
  await ingest.subscribeAsync(topics.allTelemetry, { qos: 1 });
  ingest.on('message', (topic, payload) => received.push(`${topic} ${payload}`));
});
afterAll(async () => {
  await ingest?.endAsync(true);
  await b?.stop();
});

const as = (deviceId: string, password = token(deviceId)) => ['-i', deviceId, '-u', deviceId, '-P', password];

/** A round trip through the broker after which anything published before it has been delivered. */
async function barrier(): Promise<void> {
  await ingest.publishAsync(topics.errors('d-0003'), 'barrier', { qos: 1 });
}

describe('the broker seen from mosquitto_pub and mosquitto_sub', () => {
  it('refuses an anonymous connection as not authorised (CONNACK 5)', async () => {
    const r = await runMosquitto('mosquitto_pub', b.url, ['-t', topics.telemetry('d-0001'), '-m', '{}']);
    expect(r.code).toBe(5);
    expect(r.stderr).toContain('not authorised');
  });

  it('refuses a wrong token and an unknown device as bad user name or password (CONNACK 4)', async () => {
    const wrong = await runMosquitto('mosquitto_pub', b.url, [
      ...as('d-0001', 'not-the-token'),
      '-t',
      'x',
      '-m',
      '{}',
    ]);
    const unknown = await runMosquitto('mosquitto_pub', b.url, [...as('d-0404'), '-t', 'x', '-m', '{}']);
    for (const r of [wrong, unknown]) {
      expect(r.code).toBe(4);
      expect(r.stderr).toContain('bad user name or password');
    }
  });

  it('delivers a valid device telemetry to ingest', async () => {
    const body = '{"ts":1700000000000,"values":{"ph":7.1}}';
    const r = await runMosquitto('mosquitto_pub', b.url, [
      ...as('d-0001'),
      '-t',
      topics.telemetry('d-0001'),
      '-m',
      body,
      '-q',
      '1',
    ]);
    expect(r.code).toBe(0);
    await barrier();
    expect(received).toContain(`${topics.telemetry('d-0001')} ${body}`);
  });

  it("drops the connection of a device publishing on another device's topic, and nothing reaches ingest", async () => {
    const before = received.length;
    const r = await runMosquitto('mosquitto_pub', b.url, [
      ...as('d-0002'),
      '-t',
      topics.telemetry('d-0001'),
      '-m',
      '{"ts":1,"values":{}}',
      '-q',
      '1',
    ]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('connection was lost');
    await barrier();
    expect(received.slice(before)).toEqual([]);
  });

  it("denies a subscription to another device's topics and lets a device read its own", async () => {
    const other = await runMosquitto('mosquitto_sub', b.url, [
      ...as('d-0002'),
      '-t',
      'wl/v1/d-0001/#',
      '-W',
      '5',
    ]);
    expect(other.stderr).toContain('All subscription requests were denied');
    const own = await runMosquitto('mosquitto_sub', b.url, [
      ...as('d-0002'),
      '-t',
      topics.status('d-0001'),
      '-t',
      'wl/v1/d-0002/#',
      '-C',
      '1',
      '-W',
      '5',
      '-v',
    ]);
    // Its own status is retained, so it arrives at once; d-0001's topic was refused, not just empty.
    expect(own.stderr).toBe('');
    expect(own.stdout).toMatch(/^wl\/v1\/d-0002\/status \{"online":true,"ts":\d+\}\n$/);
  });
});
