/** Retained device status: online on connect, offline on every kind of disconnect. */
import { type ChildProcess, spawn } from 'node:child_process';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StatusPayload, topics } from '../../core/topics.js';
import { SERVICE_PASSWORDS, startTestBroker, type TestBroker } from '../helpers/broker.js';
import { token } from '../helpers/small-registry.js';
import { waitFor } from '../helpers/wait-for.js';
import { rawConnect } from './raw-client.js';

let b: TestBroker;
let api: MqttClient;
/** Every status message seen, per device, in order. */
const seen = new Map<string, boolean[]>();
const clients: MqttClient[] = [];
const children: ChildProcess[] = [];

beforeAll(async () => {
  b = await startTestBroker();
  api = await mqtt.connectAsync(b.url, {
    clientId: 'svc:api',
    username: 'svc:api',
    password: SERVICE_PASSWORDS.api,
    reconnectPeriod: 0,
  });
  api.on('message', (topic, payload) => {
    const id = topic.split('/')[2]!;
    const s = JSON.parse(payload.toString()) as StatusPayload;
    seen.set(id, [...(seen.get(id) ?? []), s.online]);
  });
  await api.subscribeAsync(topics.allStatus, { qos: 1 });
});
afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await Promise.all(clients.map((c) => c.endAsync(true)));
  await api?.endAsync(true);
  await b?.stop();
});

const last = (id: string) => seen.get(id)?.at(-1);
const becomes = (id: string, online: boolean, timeoutMs = 15_000) =>
  waitFor(async () => last(id) === online, `${id} ${online ? 'online' : 'offline'}`, timeoutMs);

async function device(clientId: string, deviceId = clientId): Promise<MqttClient> {
  const c = await mqtt.connectAsync(b.url, {
    clientId,
    username: deviceId,
    password: token(deviceId),
    reconnectPeriod: 0,
  });
  clients.push(c);
  return c;
}

describe('device status topics', () => {
  it('goes offline when a frozen client lets its keep-alive lapse (mosquitto_sub stopped with SIGSTOP)', async () => {
    // mosquitto_sub's shortest keep-alive is 5 s; Aedes gives up after 1.5 × keep-alive ([MQTT-3.1.2-24]).
    const { hostname, port } = new URL(b.url);
    const sub = spawn(
      'mosquitto_sub',
      [
        '-h',
        hostname,
        '-p',
        port,
        '-i',
        'd-0001',
        '-u',
        'd-0001',
        '-P',
        token('d-0001'),
        '-k',
        '5',
        '-t',
        'wl/v1/d-0001/#',
      ],
      { stdio: 'ignore' },
    );
    children.push(sub);
    await becomes('d-0001', true);
    // Frozen, not exited: the socket stays open and silent, like a pump house whose 4G link died.
    sub.kill('SIGSTOP');
    await becomes('d-0001', false);
    sub.kill('SIGKILL');
    expect(seen.get('d-0001')).toEqual([true, false]);
  }, 30_000);

  it('goes offline when the socket is reset', async () => {
    const raw = await rawConnect(b.url, {
      clientId: 'd-0002',
      username: 'd-0002',
      password: token('d-0002'),
    });
    expect(raw.code).toBe(0);
    await becomes('d-0002', true);
    raw.socket.resetAndDestroy();
    await becomes('d-0002', false);
  });

  it('goes offline on a clean disconnect', async () => {
    const c = await device('d-0003');
    await becomes('d-0003', true);
    await c.endAsync();
    await becomes('d-0003', false);
  });

  it('stays online while any connection of the device is open', async () => {
    const before = seen.get('d-0003')?.length ?? 0;
    const one = await device('d-0003:one', 'd-0003');
    const two = await device('d-0003:two', 'd-0003');
    await becomes('d-0003', true);
    await one.endAsync();
    // A round trip through the broker: any "offline" caused by the first end would be out by now.
    await api.publishAsync(topics.alerts('xiji'), '{}', { qos: 1 });
    expect(last('d-0003')).toBe(true);
    await two.endAsync();
    await becomes('d-0003', false);
    expect(seen.get('d-0003')!.slice(before)).toEqual([true, false]);
  });

  it('stays online when a device reconnects with the same client id and takes over its session', async () => {
    const before = seen.get('d-0002')?.length ?? 0;
    await device('d-0002');
    await becomes('d-0002', true);
    const second = await device('d-0002');
    await api.publishAsync(topics.alerts('xiji'), '{}', { qos: 1 });
    expect(last('d-0002')).toBe(true);
    expect(seen.get('d-0002')!.slice(before)).not.toContain(false);
    await second.endAsync();
    await becomes('d-0002', false);
  });
});
