/** PUBACKs leave in the order of the PUBLISHes (MQTT 3.1.1 §4.6), also when a message has nothing to keep. */
import { connect } from 'node:net';
import mqttPacket from 'mqtt-packet';
import { afterEach, describe, expect, it } from 'vitest';
import { connectPacket } from '../broker/raw-client.js';
import { type Harness, startHarness } from '../helpers/ingest.js';
import { token } from '../helpers/small-registry.js';
import { waitFor } from '../helpers/wait-for.js';

describe('PUBACK order in a node', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it('acknowledges a rejected message only after the valid one sent before it is durable', async () => {
    h = await startHarness({ mode: 'node' });
    const { hostname, port } = new URL(h.url);
    const acks: number[] = [];
    const parser = mqttPacket.parser();
    parser.on('packet', (p) => {
      if (p.cmd === 'puback') acks.push(p.messageId!);
    });
    const socket = connect(Number(port), hostname);
    socket.on('data', (d) => parser.parse(d));
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    const publish = (messageId: number, payload: string) =>
      mqttPacket.generate({
        cmd: 'publish',
        topic: 'wl/v1/d-0001/telemetry',
        payload: Buffer.from(payload),
        qos: 1,
        messageId,
        retain: false,
        dup: false,
      });
    // One write: CONNECT, a valid Reading (1), then a message with nothing to keep (2).
    socket.write(
      Buffer.concat([
        mqttPacket.generate(connectPacket('d-0001', { username: 'd-0001', password: token('d-0001') })),
        publish(1, JSON.stringify({ ts: Date.now() - 5_000, values: { ph: 7.1 } })),
        publish(2, 'not json'),
      ]),
    );
    await waitFor(async () => acks.length === 2, 'both PUBACKs');
    expect(acks).toEqual([1, 2]);
    socket.destroy();
  });
});
