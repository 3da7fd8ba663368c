/** CONNECTs and PUBLISHes MQTT 3.1.1 forbids are refused, and one device's bad packet never cuts ingest off. */
import { connect } from 'node:net';
import mqttPacket from 'mqtt-packet';
import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, type IngestMode, publish, startHarness, storedPoints } from '../helpers/ingest.js';
import { token } from '../helpers/small-registry.js';
import { waitFor } from '../helpers/wait-for.js';
import { connectPacket } from './raw-client.js';

/** Sends raw bytes as a new connection; resolves with what came back before the broker closed it (or 1 s). */
function sendRaw(url: string, bytes: Buffer, opts: { dropAfterMs?: number } = {}): Promise<string[]> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const got: string[] = [];
    const parser = mqttPacket.parser();
    parser.on('packet', (p) => got.push(p.cmd === 'connack' ? `connack:${p.returnCode}` : p.cmd));
    const socket = connect(Number(port), hostname, () => socket.write(bytes));
    socket.on('data', (d) => parser.parse(d));
    socket.on('error', () => {});
    const timer = setTimeout(() => socket.destroy(), opts.dropAfterMs ?? 1_000);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve(got);
    });
  });
}

const deviceConnect = (deviceId: string, extra: Partial<mqttPacket.IConnectPacket> = {}) =>
  mqttPacket.generate(connectPacket(deviceId, { username: deviceId, password: token(deviceId) }, extra));

/** The packet seen in the field: valid credentials, a will on the device's telemetry topic with QoS 3 (flags 0xde). */
function willQos3(deviceId: string): Buffer {
  const packet = deviceConnect(deviceId, {
    will: { topic: `wl/v1/${deviceId}/telemetry`, payload: Buffer.from('{}'), qos: 1, retain: false },
  });
  // Fixed header (2 bytes here), protocol name (2 + 4), level (1): the flags byte follows.
  const flagsAt = 2 + 6 + 1;
  expect(packet[flagsAt]).toBe(0xce); // username, password, will QoS 1, will flag, clean session
  packet[flagsAt] = 0xde; // will QoS 3 [MQTT-3.1.2-14]
  return packet;
}

describe.each(['node', 'subscriber'] as IngestMode[])('protocol violations (%s ingest)', (mode) => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it('refuses a CONNECT with will QoS 3 and keeps storing every other device', async () => {
    h = await startHarness({ mode });
    const got = await sendRaw(h.url, willQos3('d-0001'), { dropAfterMs: 300 });
    expect(got.filter((p) => p === 'connack:0')).toEqual([]);
    const dev = await h.device('d-0002');
    const t = Date.now() - 10_000;
    // Over several seconds: the old failure cut ingest off again every second.
    for (let i = 0; i < 5; i++) {
      await publish(dev, 'd-0002', { ts: t + i, values: { pressure: 0.3 } });
      await new Promise((r) => setTimeout(r, 400));
    }
    expect(await storedPoints(h.store, 'd-0002', 'pressure', 5)).toHaveLength(5);
    expect(await h.ingest.metrics()).toMatch(/waterline_ingest_connected 1/);
  });

  it('refuses a protocol name that does not match its level', async () => {
    h = await startHarness({ mode });
    const packet = deviceConnect('d-0001', { protocolVersion: 3 }); // "MQTT" with level 3
    expect(await sendRaw(h.url, packet)).toEqual([]);
  });

  it('closes the connection of a QoS 1 PUBLISH with packet id 0 and stores nothing of it', async () => {
    h = await startHarness({ mode });
    const publishZero = mqttPacket.generate({
      cmd: 'publish',
      topic: 'wl/v1/d-0001/telemetry',
      payload: Buffer.from(JSON.stringify({ ts: Date.now() - 5_000, values: { ph: 7 } })),
      qos: 1,
      messageId: 0,
      retain: false,
      dup: false,
    });
    const got = await sendRaw(h.url, Buffer.concat([deviceConnect('d-0001'), publishZero]), {
      dropAfterMs: 2_000,
    });
    expect(got).toEqual(['connack:0']);
    await new Promise((r) => setTimeout(r, 300));
    const points = await h.store.queryReadings({ deviceId: 'd-0001', metric: 'ph', from: 0, to: Date.now() });
    expect(points).toEqual([]);
    await waitFor(
      async () => /waterline_ingest_connected 1/.test(await h!.ingest.metrics()),
      'ingest connected',
    );
  });
});
