/** The device simulator: every selected registry device connects with its own credentials and reports on its interval. */
import mqtt, { type MqttClient } from 'mqtt';
import type { Logger } from 'pino';
import type { Reading } from '../core/reading.js';
import type { DeviceInfo, Registry } from '../core/registry.js';
import { topics } from '../core/topics.js';
import { createRandom, modelValue } from './value-model.js';

export interface SimDeps {
  mqttUrl: string;
  registry: Registry;
  /** The MQTT password of a device. */
  tokenFor: (deviceId: string) => string;
  log: Logger;
  clock?: () => number;
  seed?: number;
  /** Only these devices (default: all of the registry's). */
  deviceIds?: readonly string[];
  /** Each device's first reading comes within this many ms of start (default 3000). */
  firstWithinMs?: number;
}

export interface Sim {
  /** Readings published so far. */
  published(): number;
  stop(): Promise<void>;
}

export async function createSim(deps: SimDeps): Promise<Sim> {
  const clock = deps.clock ?? Date.now;
  const rnd = createRandom(deps.seed ?? 1);
  const ids = deps.deviceIds ?? [...deps.registry.devices.keys()];
  const devices = ids
    .map((id) => deps.registry.devices.get(id))
    .filter((d): d is DeviceInfo => d !== undefined);
  const clients: MqttClient[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let count = 0;
  let stopped = false;

  const publish = (client: MqttClient, device: DeviceInfo) => {
    const ts = clock();
    const values: Record<string, number> = {};
    for (const m of device.metrics) values[m] = modelValue(device, m, ts, rnd);
    const reading: Reading = { ts, values };
    client.publish(topics.telemetry(device.id), JSON.stringify(reading), { qos: 1 }, (e) => {
      if (e) deps.log.debug({ deviceId: device.id, err: e.message }, 'publish failed');
      else count++;
    });
  };

  const schedule = (client: MqttClient, device: DeviceInfo, delayMs: number) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (stopped) return;
      publish(client, device);
      // ±10 % jitter so a thousand devices do not report in lockstep.
      schedule(client, device, device.intervalS * 1000 * (0.9 + 0.2 * rnd()));
    }, delayMs);
    timers.add(timer);
  };

  for (const device of devices) {
    const client = mqtt.connect(deps.mqttUrl, {
      clientId: device.id,
      username: device.id,
      password: deps.tokenFor(device.id),
      reconnectPeriod: 5000,
      keepalive: 60,
    });
    client.on('error', (e) =>
      deps.log.debug({ deviceId: device.id, err: e.message }, 'device connection error'),
    );
    clients.push(client);
    schedule(client, device, rnd() * (deps.firstWithinMs ?? 3000));
  }
  deps.log.info({ devices: devices.length }, 'simulator started');

  return {
    published: () => count,
    async stop() {
      stopped = true;
      for (const t of timers) clearTimeout(t);
      await Promise.all(clients.map((c) => c.endAsync()));
    },
  };
}
