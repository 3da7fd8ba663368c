/** An in-process ingest against a real Aedes broker and a real SQLite store, with device and watcher clients. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { pino } from 'pino';
import { startNode } from '../../bin/node.js';
import { createBroker, type WaterlineBroker } from '../../broker/create-broker.js';
import { listenTcp } from '../../broker/listen.js';
import type { AlertEvent } from '../../core/alert.js';
import { parseConfig } from '../../core/config.js';
import { parseRegistry, type Registry } from '../../core/registry.js';
import type { RegistryFile } from '../../core/registry-schema.js';
import { topics } from '../../core/topics.js';
import { createIngest, type Ingest, type IngestDeps } from '../../ingest/create-ingest.js';
import { createSqliteStore } from '../../store/sqlite-store.js';
import type { TelemetryStore } from '../../store/telemetry-store.js';
import { SERVICE_PASSWORDS } from './broker.js';
import { apiKey, smallRegistry, token } from './small-registry.js';
import { waitFor } from './wait-for.js';

export const testLog = () => pino({ level: process.env.TEST_LOG ?? 'silent' });

/** The events of one rule, and of one device when given, in the order received. */
export const eventsOf = (events: readonly AlertEvent[], rule: string, device?: string): AlertEvent[] =>
  events.filter((e) => e.alert.ruleId === rule && (device === undefined || e.alert.deviceId === device));

export function parse(file: RegistryFile): Registry {
  const r = parseRegistry(file);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value;
}

export interface Harness {
  url: string;
  dir: string;
  store: TelemetryStore;
  broker: WaterlineBroker;
  ingest: Ingest;
  /** Replaces the registry of broker and ingest, as SIGHUP does. */
  setRegistry(file: RegistryFile): void;
  /** Stops ingest and starts a new one on the same store and spool (an orderly restart). */
  restartIngest(): Promise<void>;
  /** A device connection; `suffix` gives it a second client id (`d-0001:errors`). */
  device(id: string, suffix?: string): Promise<MqttClient>;
  /** A service account's connection (`svc:api` publishes acknowledgements as the API does). */
  service(name: 'api' | 'ingest'): Promise<MqttClient>;
  /** A `key:demo-admin` watcher collecting every AlertEvent on wl/v1/alerts/+. */
  watch(): Promise<{ events: AlertEvent[]; client: MqttClient }>;
  stop(): Promise<void>;
}

/**
 * `node`: ingest in the broker's publish path (what `npm start` and `npm run broker` run); a restart
 * restarts the node on the same port and devices reconnect. `subscriber`: ingest as an MQTT client of
 * the broker with a persistent session (`npm run ingest`); a restart leaves the broker and devices up.
 */
export type IngestMode = 'node' | 'subscriber';

export async function startHarness(
  opts: { file?: RegistryFile; ingest?: Partial<IngestDeps>; mode?: IngestMode } = {},
): Promise<Harness> {
  let registry = parse(opts.file ?? smallRegistry());
  const log = testLog();
  const dir = mkdtempSync(join(tmpdir(), 'wl-ingest-'));
  const store = createSqliteStore({ path: join(dir, 'waterline.db') });
  if (opts.mode === 'node')
    return nodeHarness(
      () => registry,
      (f) => {
        registry = parse(f);
      },
      store,
      dir,
      opts,
    );
  const broker = await createBroker({ registry: () => registry, services: SERVICE_PASSWORDS, log });
  const listener = await listenTcp(broker, 0, '127.0.0.1');
  const url = `mqtt://127.0.0.1:${listener.port}`;
  const start = () =>
    createIngest({
      mqttUrl: url,
      password: SERVICE_PASSWORDS.ingest,
      registry: () => registry,
      store,
      log,
      dataDir: dir,
      ...opts.ingest,
    });
  const peers = testClients(url, 0);
  const h: Harness = {
    url,
    dir,
    store,
    broker,
    ingest: await start(),
    setRegistry(file) {
      registry = parse(file);
    },
    async restartIngest() {
      await h.ingest.stop();
      h.ingest = await start();
    },
    ...peers.connections,
    async stop() {
      await Promise.all(peers.clients.map((c) => c.endAsync()));
      await h.ingest.stop();
      await listener.close();
      await broker.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return h;
}

/** Publishes each Reading (or raw payload) at QoS 1 and waits for the broker's PUBACK. */
export async function publish(client: MqttClient, deviceId: string, ...payloads: unknown[]): Promise<void> {
  for (const p of payloads) {
    await client.publishAsync(topics.telemetry(deviceId), typeof p === 'string' ? p : JSON.stringify(p), {
      qos: 1,
    });
  }
}

/** Waits until the store holds `n` raw points of a device's metric, and returns them. */
export async function storedPoints(
  store: TelemetryStore,
  deviceId: string,
  metric: 'chlorine' | 'ph' | 'pressure' | 'turbidity',
  n: number,
) {
  return waitFor(async () => {
    const points = await store.queryReadings({ deviceId, metric, from: 0, to: Date.now() + 3_600_000 });
    return points.length >= n && points;
  }, `${n} ${metric} points of ${deviceId}`);
}

async function nodeHarness(
  registry: () => Registry,
  setRegistry: (file: RegistryFile) => void,
  store: TelemetryStore,
  dir: string,
  opts: { ingest?: Partial<IngestDeps> },
): Promise<Harness> {
  const log = testLog();
  const start = async (port: number) => {
    const flags = [
      '--mqtt-port',
      String(port),
      '--ws-port',
      'off',
      '--host',
      '127.0.0.1',
      '--data',
      dir,
      '--no-sim',
    ];
    const config = parseConfig(flags, {});
    if (!config.ok) throw new Error(JSON.stringify(config.issues));
    return startNode({
      config: config.value,
      registry,
      store,
      services: SERVICE_PASSWORDS,
      log,
      ingest: opts.ingest,
    });
  };
  let node = await start(0);
  const port = node.mqtt.mqttPort;
  const url = `mqtt://127.0.0.1:${port}`;
  // Devices come back by themselves after a node restart, as real ones do.
  const peers = testClients(url, 100);
  const view = () => ({
    counters: node.ingest.counters,
    metrics: () => node.ingest.metrics(true),
    stop: () => node.ingest.stop(),
  });
  const h: Harness = {
    url,
    dir,
    store,
    broker: node.mqtt.broker,
    ingest: view(),
    setRegistry(file) {
      setRegistry(file);
      node.mqtt.broker.revokeStale();
    },
    async restartIngest() {
      await node.stop();
      node = await start(port);
      h.broker = node.mqtt.broker;
      h.ingest = view();
    },
    ...peers.connections,
    async stop() {
      await Promise.all(peers.clients.map((c) => c.endAsync(true)));
      await node.stop();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return h;
}

/** The harness's device, service and watcher connections to `url`, remembered for closing. */
function testClients(url: string, reconnectPeriod: number) {
  const clients: MqttClient[] = [];
  const connect = async (username: string, password: string, clientId = username) => {
    const c = mqtt.connect(url, { clientId, username, password, reconnectPeriod });
    clients.push(c);
    await new Promise<void>((resolve, reject) => {
      c.once('connect', () => resolve());
      c.once('error', reject);
    });
    return c;
  };
  const connections: Pick<Harness, 'device' | 'service' | 'watch'> = {
    device: (id, suffix) => connect(id, token(id), suffix ? `${id}:${suffix}` : id),
    service: (name) => connect(`svc:${name}`, SERVICE_PASSWORDS[name], `svc:${name}:test`),
    async watch() {
      const client = await connect('key:demo-admin', apiKey('demo-admin'));
      const events: AlertEvent[] = [];
      client.on('message', (_t, payload) => events.push(JSON.parse(payload.toString()) as AlertEvent));
      await client.subscribeAsync(topics.allAlerts, { qos: 1 });
      return { events, client };
    },
  };
  return { clients, connections };
}
