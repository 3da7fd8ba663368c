/**
 * The CONNECT that once stopped the platform: a device with valid credentials asks for a will of QoS 3
 * (flags byte 0xde), then drops its socket. MQTT 3.1.1 §3.1.2-14 says the server must refuse it; and
 * whatever happens, Readings sent after it are stored, and acknowledged ones are never lost.
 */
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { apiKey, smallRegistry, token } from '../helpers/small-registry.js';
import { waitFor } from '../helpers/wait-for.js';
import { connectPacket, openRaw, withConnectFlags } from './hostile/mqtt-raw.js';

describe('a CONNECT with will QoS 3', () => {
  let p: TestPlatform;
  let good: MqttClient;
  const now = Date.now();
  const sent: number[] = [];

  beforeAll(async () => {
    p = await startTestPlatform(smallRegistry(), { sim: false });
    good = await mqtt.connectAsync(p.mqttUrl, {
      clientId: 'd-0001',
      username: 'd-0001',
      password: token('d-0001'),
      reconnectPeriod: 0,
    });
  }, 30_000);
  afterAll(async () => {
    await good?.endAsync(true).catch(() => {});
    await p?.stop();
  });

  const publish = async (count: number) => {
    for (let i = 0; i < count; i++) {
      const ts = now - 600_000 + sent.length * 1000;
      sent.push(ts);
      await good.publishAsync('wl/v1/d-0001/telemetry', JSON.stringify({ ts, values: { ph: 7.1 } }), {
        qos: 1,
      });
    }
  };

  const stored = async (): Promise<number[]> => {
    const from = new Date(now - 3_600_000).toISOString();
    const res = await fetch(`${p.httpUrl}/api/v1/devices/d-0001/readings?metric=ph&from=${from}`, {
      headers: { authorization: `Bearer ${apiKey('demo-admin')}` },
    });
    return ((await res.json()) as { points: { ts: string }[] }).points.map((x) => Date.parse(x.ts));
  };

  it('is refused, and Readings before and after it are all stored', async () => {
    await publish(5);
    const packet = withConnectFlags(
      connectPacket({
        clientId: 'd-0002',
        username: 'd-0002',
        password: token('d-0002'),
        will: { topic: 'wl/v1/d-0002/telemetry', payload: '{"ts":1,"values":{}}', qos: 1 },
      }),
      0xde,
    );
    expect(packet.includes(0xde)).toBe(true);
    const s = await openRaw(p.mqttUrl);
    s.send(packet);
    const ack = await s.packet((x) => x.cmd === 'connack', 3_000);
    const accepted = ack !== null && 'returnCode' in ack && ack.returnCode === 0;
    // The device drops its socket, as in the field.
    s.end();
    await publish(5);
    // Time for any reconnect loop to show itself, then more Readings.
    await new Promise((r) => setTimeout(r, 2_500));
    await publish(5);
    const got = await waitFor(
      async () => {
        const x = await stored();
        return x.length >= sent.length && x;
      },
      'every Reading stored',
      20_000,
    ).catch(() => null);
    expect(accepted).toBe(false);
    expect(got?.sort((a, b) => a - b)).toEqual([...sent].sort((a, b) => a - b));
    expect((await fetch(`${p.httpUrl}/readyz`)).status).toBe(200);
  });
});
