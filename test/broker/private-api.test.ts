/**
 * What this project relies on inside Aedes and MQTT.js beyond their typed APIs (both pinned to exact
 * versions in package.json): each test here fails when an upgrade changes one of them.
 */
import { Aedes } from 'aedes';
import mqtt from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { internals } from '../../broker/aedes-internals.js';
import { createBroker, type WaterlineBroker } from '../../broker/create-broker.js';
import { type Listening, listenTcp } from '../../broker/listen.js';
import { SERVICE_PASSWORDS } from '../helpers/broker.js';
import { parse, testLog } from '../helpers/ingest.js';
import { smallRegistry, token } from '../helpers/small-registry.js';

describe('private APIs of Aedes and MQTT.js', () => {
  let broker: WaterlineBroker | undefined;
  let listener: Listening | undefined;
  afterEach(async () => {
    await listener?.close();
    await broker?.close();
    broker = undefined;
  });

  it('Aedes keeps its clients by id and its bus as `mq` with on()', async () => {
    const aedes = await Aedes.createBroker();
    const parts = internals(aedes);
    expect(typeof parts.mq.on).toBe('function');
    expect(typeof parts.clients).toBe('object');
    expect(parts.persistence).toBeTruthy();
    await new Promise<void>((resolve) => aedes.close(() => resolve()));
  });

  it('Aedes writes the PUBACK only after authorizePublish calls back (the in-path durability rests on it)', async () => {
    const held: (() => void)[] = [];
    const registry = parse(smallRegistry());
    broker = await createBroker({
      registry: () => registry,
      services: SERVICE_PASSWORDS,
      log: testLog(),
      ingest: {
        receive: (_topic, _payload, done) => held.push(done),
        whenRoom: (fn) => fn(),
      },
    });
    listener = await listenTcp(broker, 0, '127.0.0.1');
    const device = await mqtt.connectAsync(`mqtt://127.0.0.1:${listener.port}`, {
      clientId: 'd-0001',
      username: 'd-0001',
      password: token('d-0001'),
      reconnectPeriod: 0,
    });
    let acked = false;
    const published = device
      .publishAsync('wl/v1/d-0001/telemetry', '{"ts":1,"values":{"ph":7}}', { qos: 1 })
      .then(() => {
        acked = true;
      });
    await new Promise((r) => setTimeout(r, 300));
    expect(held).toHaveLength(1);
    expect(acked).toBe(false);
    held[0]!();
    await published;
    expect(acked).toBe(true);
    await device.endAsync();
  });

  it('MQTT.js still sends packets through _sendPacket and lets handleMessage hold the PUBACK', () => {
    // ingest/deferred-ack.ts writes the subscriber mode's PUBACKs through it once Readings are durable.
    const proto = mqtt.MqttClient.prototype as unknown as Record<string, unknown>;
    expect(typeof proto._sendPacket).toBe('function');
    expect(typeof proto.handleMessage).toBe('function');
  });
});
