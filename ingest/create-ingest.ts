/** Ingest: consumes telemetry from the broker, validates it, stores it, and reports rejections to the device. */
import mqtt, { type MqttClient } from 'mqtt';
import type { Logger } from 'pino';
import { type Rejection, validateTelemetry } from '../core/reading.js';
import type { Registry } from '../core/registry.js';
import { type QualityLimits, qualityLimits } from '../core/rules/quality.js';
import { enrich } from '../core/stored-reading.js';
import { type ErrorPayload, parseTopic, topics } from '../core/topics.js';
import type { TelemetryStore } from '../store/telemetry-store.js';

export interface IngestDeps {
  mqttUrl: string;
  password: string;
  registry: () => Registry;
  store: TelemetryStore;
  log: Logger;
  clock?: () => number;
  /** Fixed client id of the persistent session; the broker queues QoS 1 telemetry under it while ingest is away. */
  clientId?: string;
}

export interface IngestStats {
  messages: number;
  stored: number;
  rejected: Record<string, number>;
}

export interface Ingest {
  stats: IngestStats;
  stop(): Promise<void>;
}

const STORE_RETRY_MS = 1000;

export async function createIngest(deps: IngestDeps): Promise<Ingest> {
  const { log, store } = deps;
  const clock = deps.clock ?? Date.now;
  const stats: IngestStats = { messages: 0, stored: 0, rejected: {} };
  let stopping = false;
  // Quality limits per device, recomputed when the registry object changes (a reload).
  let limitsFor: Registry | null = null;
  const limitsCache = new Map<string, QualityLimits[]>();
  const limits = (registry: Registry, deviceId: string): QualityLimits[] => {
    if (limitsFor !== registry) {
      limitsCache.clear();
      limitsFor = registry;
    }
    let l = limitsCache.get(deviceId);
    if (!l) {
      l = qualityLimits(registry.devices.get(deviceId)!, registry.file.rules ?? []);
      limitsCache.set(deviceId, l);
    }
    return l;
  };

  const client: MqttClient = mqtt.connect(deps.mqttUrl, {
    clientId: deps.clientId ?? 'svc:ingest',
    username: 'svc:ingest',
    password: deps.password,
    clean: false,
    reconnectPeriod: 1000,
  });
  // PUBACK is sent only when `done` runs, so an acknowledged reading is already stored. Set before the
  // connection opens: a persistent session's queued messages arrive right after CONNACK.
  client.handleMessage = (packet, done) => {
    handle(packet.topic, packet.payload as Buffer).then(
      () => done(),
      // Only while stopping: the message stays unacknowledged and the broker redelivers it next session.
      (e) => log.warn({ err: e, topic: packet.topic }, 'message left unacknowledged at shutdown'),
    );
  };
  client.on('error', (e) => log.warn({ err: e.message }, 'mqtt client error'));
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => resolve());
    client.once('error', reject);
  });
  await client.subscribeAsync(topics.allTelemetry, { qos: 1 });

  const report = (deviceId: string, r: Rejection) => {
    stats.rejected[r.reason] = (stats.rejected[r.reason] ?? 0) + 1;
    const payload: ErrorPayload = { error: r.error, at: new Date(clock()).toISOString() };
    if (r.path !== undefined) payload.path = r.path;
    if (r.seq !== undefined) payload.seq = r.seq;
    if (r.ts !== undefined) payload.ts = r.ts;
    client.publish(topics.errors(deviceId), JSON.stringify(payload), { qos: 0 });
  };

  async function handle(topic: string, payload: Buffer): Promise<void> {
    stats.messages++;
    const parsed = parseTopic(topic);
    if (parsed?.kind !== 'telemetry') return;
    const registry = deps.registry();
    const device = registry.devices.get(parsed.deviceId);
    if (!device) {
      // Possible only between a registry change at the broker and one here; nothing to enrich it with.
      log.warn({ deviceId: parsed.deviceId }, 'telemetry from a device not in the registry; dropped');
      return;
    }
    const { readings, rejections } = validateTelemetry(payload, { metrics: device.metricSet, now: clock() });
    for (const r of rejections) report(device.id, r);
    if (readings.length === 0) return;
    const rows = readings.map((r) => enrich(device, r, limits(registry, device.id)));
    for (;;) {
      try {
        await store.writeReadings(rows);
        stats.stored += rows.length;
        return;
      } catch (e) {
        if (stopping) throw e;
        log.error({ err: e, deviceId: device.id }, 'store write failed; retrying');
        await new Promise((r) => setTimeout(r, STORE_RETRY_MS));
      }
    }
  }

  return {
    stats,
    async stop() {
      stopping = true;
      await client.endAsync();
    },
  };
}
