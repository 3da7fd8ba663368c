/** Many devices for load and crash tests: the small registry plus `n` pipe-node devices, and a closed-loop publisher. */
import mqtt, { type MqttClient } from 'mqtt';
import { expect } from 'vitest';
import type { RegistryFile } from '../../core/registry-schema.js';
import { topics } from '../../core/topics.js';
import { sha256Hex } from '../../devices-sim/demo-secret.js';
import type { TelemetryStore } from '../../store/telemetry-store.js';
import { smallRegistry, token } from './small-registry.js';

export const fleetId = (i: number) => `f-${String(i).padStart(4, '0')}`;

export function fleetRegistry(n: number): RegistryFile {
  const file = smallRegistry();
  for (let i = 0; i < n; i++) {
    const id = fleetId(i);
    file.devices.push({
      id,
      site: 'xiji-s1-p1',
      metrics: ['pressure'],
      intervalS: 60,
      tokenSha256: sha256Hex(token(id)),
    });
  }
  return file;
}

/** The i-th Reading of a fleet device: a ts of its own, a pressure inside every limit. */
export const fleetReading = (i: number, base: number) => ({
  ts: base + i * 10,
  values: { pressure: 0.3 + (i % 7) / 1000 },
});

export interface Publisher {
  /** `ts` of every Reading a PUBACK came back for, per device. */
  acked: Map<string, Set<number>>;
  /** `ts` of every Reading sent (acknowledged or not), per device. */
  sent: Map<string, Set<number>>;
  count(): number;
  /** Moves every device to another broker (its node died): new connections, the same ids, numbering goes on. */
  moveTo(url: string): Promise<void>;
  /** Stops publishing and closes the connections. */
  stop(): Promise<void>;
}

/**
 * Each device keeps `window` QoS 1 messages in flight and sends the next as each PUBACK arrives, as fast
 * as acknowledgements allow. A connection that dies stops its device until `moveTo`.
 */
export async function startPublishers(
  url: string,
  ids: readonly string[],
  opts: { base: number; window?: number },
): Promise<Publisher> {
  const window = opts.window ?? 8;
  const acked = new Map(ids.map((id) => [id, new Set<number>()]));
  const sent = new Map(ids.map((id) => [id, new Set<number>()]));
  const next = new Map(ids.map((id) => [id, 0]));
  let clients = new Map<string, MqttClient>();
  let running = true;
  let total = 0;

  const pump = (id: string, client: MqttClient) => {
    if (!running || !client.connected) return;
    const i = next.get(id)!;
    next.set(id, i + 1);
    const r = fleetReading(i, opts.base);
    sent.get(id)!.add(r.ts);
    client.publish(topics.telemetry(id), JSON.stringify(r), { qos: 1 }, (e) => {
      if (e) return;
      acked.get(id)!.add(r.ts);
      total++;
      pump(id, client);
    });
  };
  const connectAll = async (to: string) => {
    clients = new Map();
    await Promise.all(
      ids.map(
        (id) =>
          new Promise<void>((resolve, reject) => {
            const c = mqtt.connect(to, {
              clientId: id,
              username: id,
              password: token(id),
              reconnectPeriod: 0,
            });
            c.on('error', () => {});
            c.once('connect', () => {
              clients.set(id, c);
              for (let k = 0; k < window; k++) pump(id, c);
              resolve();
            });
            c.once('close', () => reject(new Error(`${id} could not connect to ${to}`)));
          }),
      ),
    );
  };
  await connectAll(url);
  return {
    acked,
    sent,
    count: () => total,
    async moveTo(to) {
      for (const c of clients.values()) c.end(true);
      await connectAll(to);
    },
    async stop() {
      running = false;
      await Promise.all([...clients.values()].map((c) => c.endAsync(true)));
    },
  };
}

/** Every acknowledged Reading is stored, nothing was stored that was not sent, and each ts once. */
export async function expectEveryAckStored(
  store: TelemetryStore,
  load: Publisher,
  ids: readonly string[],
): Promise<void> {
  let acked = 0;
  for (const id of ids) {
    const points = await store.queryReadings({ deviceId: id, metric: 'pressure', from: 0, to: Date.now() });
    const stored = points.map((p) => p.ts);
    expect(new Set(stored).size, `${id}: a ts stored twice`).toBe(stored.length);
    const storedSet = new Set(stored);
    const lost = [...load.acked.get(id)!].filter((ts) => !storedSet.has(ts));
    expect(lost, `${id}: acknowledged but not stored`).toEqual([]);
    const unsent = stored.filter((ts) => !load.sent.get(id)!.has(ts));
    expect(unsent, `${id}: stored but never sent`).toEqual([]);
    acked += load.acked.get(id)!.size;
  }
  expect(acked).toBe(load.count());
}
