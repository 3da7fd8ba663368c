/**
 * What this project relies on inside Aedes and MQTT.js beyond their typed APIs (both pinned to exact
 * versions in package.json): each test here fails when an upgrade changes one of them.
 */
import { Aedes } from 'aedes';
import { BufferList } from 'bl';
import mqtt from 'mqtt';
import mqttPacket from 'mqtt-packet';
import { afterEach, describe, expect, it } from 'vitest';
import { internals } from '../../broker/aedes-internals.js';
import { createBroker, type WaterlineBroker } from '../../broker/create-broker.js';
import { leanMqttPacket } from '../../broker/lean-connections.js';
import { type Listening, listenTcp } from '../../broker/listen.js';
import { SERVICE_PASSWORDS } from '../helpers/broker.js';
import { parse, testLog } from '../helpers/ingest.js';
import { smallRegistry, token } from '../helpers/small-registry.js';
import { connectPacket } from './raw-client.js';

describe('private APIs of Aedes and MQTT.js', () => {
  let broker: WaterlineBroker | undefined;
  let listener: Listening | undefined;
  /** A broker whose ingest takes every message at once; its MQTT URL. */
  const startBroker = async () => {
    const registry = parse(smallRegistry());
    broker = await createBroker({
      registry: () => registry,
      services: SERVICE_PASSWORDS,
      log: testLog(),
      ingest: { receive: (_topic, _payload, done) => done(), whenRoom: (fn) => fn() },
    });
    listener = await listenTcp(broker, 0, '127.0.0.1');
    return `mqtt://127.0.0.1:${listener.port}`;
  };
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

  it('mqtt-packet parses through a plain BufferList, whole or split at every byte, and after an error', () => {
    leanMqttPacket();
    expect(mqttPacket.writeToStream.cacheNumbers).toBe(false);
    const packets: mqttPacket.Packet[] = [
      connectPacket('d-0001', { username: 'd-0001', password: 'secret' }),
      {
        cmd: 'publish',
        topic: 'wl/v1/d-0001/telemetry',
        payload: Buffer.from('{"ts":1}'),
        qos: 1,
        messageId: 7,
        retain: false,
        dup: false,
      },
      { cmd: 'pingreq' },
      {
        cmd: 'publish',
        topic: 'wl/v1/d-0001/telemetry',
        payload: Buffer.alloc(300, 0x20),
        qos: 2,
        messageId: 65535,
        retain: false,
        dup: false,
      },
    ];
    const wire = Buffer.concat(packets.map((p) => mqttPacket.generate(p)));
    const summary = (p: mqttPacket.Packet) => JSON.stringify({ ...p, length: undefined });
    const parseAll = (chunks: Buffer[]) => {
      const parser = mqttPacket.parser();
      const out: mqttPacket.Packet[] = [];
      parser.on('packet', (p) => out.push(p));
      for (const c of chunks) parser.parse(c);
      const list = (parser as unknown as { _list: unknown })._list;
      expect(list).toBeInstanceOf(BufferList);
      expect((list as { pipe?: unknown }).pipe).toBeUndefined(); // not a stream
      return out.map(summary);
    };
    const whole = parseAll([wire]);
    expect(whole).toHaveLength(4);
    expect(whole[1]).toContain('"messageId":7');
    expect(parseAll([...wire].map((b) => Buffer.from([b])))).toEqual(whole);

    // A malformed packet is reported, and the parser starts afresh for the next input.
    const parser = mqttPacket.parser();
    const errors: Error[] = [];
    const out: mqttPacket.Packet[] = [];
    parser.on('error', (e) => errors.push(e));
    parser.on('packet', (p) => out.push(p));
    parser.parse(Buffer.from([0x00, 0x00]));
    expect(errors).toHaveLength(1);
    parser.parse(mqttPacket.generate({ cmd: 'pingreq' }));
    expect(out.map((p) => p.cmd)).toEqual(['pingreq']);
  });

  it('Aedes clients take inbound QoS 2 through the lazily made Set, and idle ones hold none', async () => {
    const url = await startBroker();
    const connect = (id: string) =>
      mqtt.connectAsync(url, {
        clientId: id,
        username: id,
        password: token(id),
        reconnectPeriod: 0,
      });
    const devices = [await connect('d-0001'), await connect('d-0002'), await connect('d-0003')];
    const clients = internals(broker!.aedes).clients;
    const own = (id: string) => Object.hasOwn(clients[id]!, '_inboundInflight');
    const symbols = (id: string) => Object.getOwnPropertySymbols(clients[id]!).length;
    expect(own('d-0002')).toBe(false);
    const before = symbols('d-0002');
    // Exactly once: PUBLISH, PUBREC, PUBREL, PUBCOMP; the slot is taken and released.
    for (let i = 0; i < 3; i++)
      await devices[1]!.publishAsync('wl/v1/d-0002/telemetry', `{"ts":${i + 1},"values":{"chlorine":0.5}}`, {
        qos: 2,
      });
    const inflight = (clients['d-0002'] as unknown as { _inboundInflight: Set<number> })._inboundInflight;
    expect(inflight).toBeInstanceOf(Set);
    expect(inflight.size).toBe(0);
    expect(symbols('d-0002')).toBe(before + 1);
    expect(symbols('d-0003')).toBe(before);
    for (const d of devices) await d.endAsync();
  });

  it('mqtt-packet keeps only the protocol version and bridge mode of a CONNECT, and parses MQTT 5 after it', () => {
    leanMqttPacket();
    const connect = connectPacket(
      'd-0001',
      { username: 'd-0001', password: 'secret' },
      { protocolVersion: 5 },
    );
    const publish: mqttPacket.IPublishPacket = {
      cmd: 'publish',
      topic: 'wl/v1/d-0001/telemetry',
      payload: Buffer.from('{"ts":1}'),
      qos: 1,
      messageId: 9,
      retain: false,
      dup: false,
      properties: { contentType: 'application/json', userProperties: { unit: 'mg/L' } },
    };
    const wire = Buffer.concat([
      mqttPacket.generate(connect),
      mqttPacket.generate(publish, { protocolVersion: 5 }),
    ]);
    const parser = mqttPacket.parser();
    const out: mqttPacket.Packet[] = [];
    parser.on('packet', (p) => out.push(p));
    parser.parse(wire);
    const settings = (parser as unknown as { settings: object }).settings;
    expect(settings).not.toBe(out[0]); // the CONNECT, its password among it, is not kept
    expect(settings).toEqual({ protocolVersion: 5, bridgeMode: false });
    const parsed = out[1] as mqttPacket.IPublishPacket;
    expect(parsed.messageId).toBe(9);
    expect(parsed.properties).toEqual(publish.properties); // read only under protocol version 5
    expect(String(parsed.payload)).toBe('{"ts":1}');
  });

  it('Aedes clients make their subscriptions and duplicate counters on first use; idle devices hold none', async () => {
    const url = await startBroker();
    const device = await mqtt.connectAsync(url, {
      clientId: 'd-0001',
      username: 'd-0001',
      password: token('d-0001'),
      reconnectPeriod: 0,
    });
    const api = await mqtt.connectAsync(url, {
      clientId: 'svc:api:test',
      username: 'svc:api',
      password: SERVICE_PASSWORDS.api,
      reconnectPeriod: 0,
    });
    const clients = internals(broker!.aedes).clients;
    const slots = (id: string) =>
      Object.getOwnPropertySymbols(clients[id]!)
        .map((s) => s.description)
        .filter((d) => d !== undefined);
    expect(slots('d-0001')).toEqual([]);
    expect(Object.hasOwn(clients['d-0001']!, 'subscriptions')).toBe(false);

    // The retained status arrives through the subscriber's own dictionaries, made on first use.
    const got: string[] = [];
    api.on('message', (topic) => got.push(topic));
    await api.subscribeAsync('wl/v1/+/status', { qos: 1 });
    await expect.poll(() => got).toEqual(['wl/v1/d-0001/status']);
    const subscriptions = (clients['svc:api:test'] as unknown as { subscriptions: object }).subscriptions;
    expect(Object.getPrototypeOf(subscriptions)).toBeNull();
    expect(Object.keys(subscriptions)).toEqual(['wl/v1/+/status']);
    expect(slots('svc:api:test')).toEqual(['waterline.subscriptions']);
    await device.publishAsync('wl/v1/d-0001/telemetry', '{"ts":1,"values":{"chlorine":0.5}}', { qos: 1 });
    expect(slots('d-0001')).toEqual([]); // a publishing device still holds none
    // A live QoS 1 delivery counts per broker against duplicates: that dictionary is made now.
    await device.endAsync();
    await expect.poll(() => got).toEqual(['wl/v1/d-0001/status', 'wl/v1/d-0001/status']);
    const duplicates = (clients['svc:api:test'] as unknown as { duplicates: Record<string, number> })
      .duplicates;
    expect(Object.values(duplicates)).toHaveLength(1);
    await api.unsubscribeAsync('wl/v1/+/status');
    expect(Object.keys(subscriptions)).toEqual([]);
    await api.endAsync();
  });
});
