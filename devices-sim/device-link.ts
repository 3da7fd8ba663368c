/** A device's MQTT connection with its own credentials, and its store-and-forward buffer. */
import mqtt, { type MqttClient } from 'mqtt';
import type { Logger } from 'pino';
import { MAX_BATCH, MAX_PAYLOAD_BYTES, type Reading } from '../core/reading.js';
import { topics } from '../core/topics.js';

export interface DeviceLink {
  /** Publishes a reading, reconnecting first (and sending the buffer as batches) if it was offline. */
  send(reading: Reading): void;
  /** Publishes a raw payload as it is (the malformed-payload fault). */
  sendRaw(payload: string): void;
  /** Keeps a reading for later: the device is offline. */
  keep(reading: Reading): void;
  /** Drops the connection, as a device losing its modem or power does. */
  goOffline(): void;
  close(): Promise<void>;
}

export interface LinkDeps {
  mqttUrl: string;
  deviceId: string;
  token: string;
  log: Logger;
  /** Called once per message the broker acknowledged, with the number of readings in it. */
  onPublished(readings: number): void;
}

/** Buffered readings in messages within both CONTRACT §3 limits: ≤ 1000 readings and ≤ 64 KiB. */
export function batches(readings: readonly Reading[]): { payload: string; count: number }[] {
  const out: { payload: string; count: number }[] = [];
  let current: string[] = [];
  let bytes = 2;
  const close = () => out.push({ payload: `[${current.join(',')}]`, count: current.length });
  for (const r of readings) {
    const text = JSON.stringify(r);
    if (
      current.length > 0 &&
      (current.length >= MAX_BATCH || bytes + text.length + 1 > MAX_PAYLOAD_BYTES - 1024)
    ) {
      close();
      current = [];
      bytes = 2;
    }
    current.push(text);
    bytes += Buffer.byteLength(text) + 1;
  }
  if (current.length > 0) close();
  return out;
}

export function createDeviceLink(deps: LinkDeps): DeviceLink {
  let client: MqttClient | null = null;
  const buffer: Reading[] = [];
  const topic = topics.telemetry(deps.deviceId);

  const publish = (payload: string, readings: number) => {
    client!.publish(topic, payload, { qos: 1 }, (e) => {
      if (e) deps.log.debug({ deviceId: deps.deviceId, err: e.message }, 'publish failed');
      else deps.onPublished(readings);
    });
  };
  const connect = () => {
    // mqtt.js queues what is published before CONNACK and sends it, in order, once connected.
    client = mqtt.connect(deps.mqttUrl, {
      clientId: deps.deviceId,
      username: deps.deviceId,
      password: deps.token,
      reconnectPeriod: 5000,
      keepalive: 60,
    });
    client.on('error', (e) =>
      deps.log.debug({ deviceId: deps.deviceId, err: e.message }, 'device connection error'),
    );
    if (buffer.length > 0) {
      const held = buffer.splice(0);
      deps.log.info(
        { deviceId: deps.deviceId, readings: held.length },
        'device back online: sending its buffer',
      );
      for (const b of batches(held)) publish(b.payload, b.count);
    }
  };

  return {
    send(reading) {
      if (!client) connect();
      publish(JSON.stringify(reading), 1);
    },
    sendRaw(payload) {
      if (!client) connect();
      client!.publish(topic, payload, { qos: 0 });
    },
    keep(reading) {
      buffer.push(reading);
    },
    goOffline() {
      if (!client) return;
      const c = client;
      client = null;
      c.end(true);
    },
    async close() {
      if (!client) return;
      const c = client;
      client = null;
      // Gracefully, so acknowledged readings are not lost; but bounded, as a shutdown must be.
      const timer = new Promise((r) => setTimeout(r, 3000).unref());
      await Promise.race([c.endAsync(), timer]);
      if (!c.disconnected) c.end(true);
    },
  };
}
