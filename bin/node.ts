/**
 * A waterline node: the broker with ingest in its publish path. A device's PUBACK leaves only once its
 * Readings and the alert events they cause are durable; alert events and error reports go straight onto
 * the broker's bus (and, with Redis, to every node). What `npm start` and `npm run broker` both run.
 */
import type { Aedes } from 'aedes';
import type { Logger } from 'pino';
import type { ServicePasswords } from '../broker/authenticate.js';
import { type RunningBroker, startBroker } from '../broker/start-broker.js';
import { AlertEvent } from '../core/alert.js';
import type { Config } from '../core/config.js';
import type { Registry } from '../core/registry.js';
import { topics } from '../core/topics.js';
import type { IngestConfig } from '../ingest/ingest-config.js';
import { createIngestCore, type IngestCore, type IngestCoreDeps } from '../ingest/ingest-core.js';
import type { TelemetryStore } from '../store/telemetry-store.js';

export interface NodeDeps {
  config: Config;
  registry: () => Registry;
  store: TelemetryStore;
  services: ServicePasswords;
  log: Logger;
  /** Told of every durable AlertEvent judged on this node. */
  onAlertEvents?: (events: readonly AlertEvent[]) => void;
  /** Whether an alert raised at `at` falls in a maintenance window: it is then stored as suppressed. */
  isSuppressed?: IngestCoreDeps['isSuppressed'];
  /** Ingest's own settings (INGEST_* variables; a clock and stale period in tests); defaults otherwise. */
  ingest?: Partial<IngestConfig> & Pick<IngestCoreDeps, 'clock' | 'staleEveryMs'>;
}

export interface WaterlineNode {
  mqtt: RunningBroker;
  ingest: IngestCore;
  /** Publishes an AlertEvent made elsewhere in this process (an acknowledgement through the API). */
  publishAlertEvent(e: AlertEvent): void;
  /** Whether a device is connected: on this node, or on another one as its status says. */
  online(deviceId: string): boolean;
  /** Why this node cannot take telemetry safely now (null = it can). */
  notReady(): string | null;
  metrics(): Promise<string>;
  stop(): Promise<void>;
}

export async function startNode(deps: NodeDeps): Promise<WaterlineNode> {
  const { config, log } = deps;
  let aedes: Aedes | null = null;
  const publish = (topic: string, payload: string, qos: 0 | 1) => {
    aedes?.publish(
      { cmd: 'publish', topic, payload: Buffer.from(payload), qos, retain: false, dup: false },
      (e) => {
        if (e) log.warn({ err: e.message, topic }, 'not published');
      },
    );
  };
  const ingest = await createIngestCore({
    registry: deps.registry,
    store: deps.store,
    log: log.child({ svc: 'ingest' }),
    dataDir: config.dataDir,
    publish,
    onAlertEvents: deps.onAlertEvents,
    isSuppressed: deps.isSuppressed,
    spoolMaxBytes: deps.ingest?.spoolMaxBytes,
    highWater: deps.ingest?.highWater,
    writeTimeoutMs: deps.ingest?.writeTimeoutMs,
    clock: deps.ingest?.clock,
    staleEveryMs: deps.ingest?.staleEveryMs,
    staleClock: deps.ingest?.staleClock,
  });
  // With several nodes (Redis), a device judged elsewhere may connect here: its alert state comes from
  // the store's active alerts, read at most once a second however many devices reconnect at once.
  const shared = config.broker.redisUrl !== null;
  const activeAlerts = recentOnly(() => deps.store.activeAlerts(), 1_000);
  const beforeDevice = shared
    ? async (deviceId: string) => ingest.runner.adopt(deviceId, await activeAlerts(), Date.now())
    : undefined;
  let mqtt: RunningBroker;
  try {
    mqtt = await startBroker({
      config: config.broker,
      mqttPort: config.mqttPort,
      host: config.host,
      registry: deps.registry,
      services: deps.services,
      log: log.child({ svc: 'broker' }),
      ingest,
      beforeDevice,
    });
  } catch (e) {
    await ingest.stop();
    throw e;
  }
  aedes = mqtt.broker.aedes;

  let stopping = false;
  // Acknowledgements and resolutions from any node's API, and devices' status on other nodes.
  const remoteOnline = new Map<string, boolean>();
  const followed = (topic: string, on: (payload: Buffer, topic: string) => void) =>
    new Promise<void>((resolve) =>
      mqtt.broker.aedes.subscribe(
        topic,
        (packet, done) => {
          on(Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload), packet.topic);
          done();
        },
        () => resolve(),
      ),
    );
  await followed(topics.allAlerts, (payload) => {
    const parsed = AlertEvent.safeParse(parseJson(payload));
    if (parsed.success && parsed.data.type !== 'raised') ingest.observe(parsed.data);
  });
  await followed(topics.allStatus, (payload, topic) => {
    const id = topic.split('/')[2];
    const status = parseJson(payload) as { online?: unknown } | null;
    if (!id || typeof status?.online !== 'boolean') return;
    remoteOnline.set(id, status.online);
    // The `offline` rule: a device whose connection closed (here or on another node) is overdue sooner;
    // not the connections this node closes itself as it stops.
    if (!stopping) ingest.runner.connection(id, status.online);
  });

  return {
    mqtt,
    ingest,
    publishAlertEvent: (e) => publish(topics.alerts(e.alert.countyId), JSON.stringify(e), 1),
    online: (id) => mqtt.broker.isConnected(id) || remoteOnline.get(id) === true,
    notReady: () => ingest.notReady(),
    metrics: async () => (await mqtt.broker.metrics()) + (await ingest.metrics(true)),
    async stop() {
      // Devices first, so nothing new arrives; then ingest makes what it holds durable.
      stopping = true;
      await mqtt.stop();
      await ingest.stop();
    },
  };
}

/** `fn`'s answer, shared by every caller within `maxAgeMs` of when it was asked (failures are not kept). */
function recentOnly<T>(fn: () => Promise<T>, maxAgeMs: number): () => Promise<T> {
  let last: { at: number; value: Promise<T> } | null = null;
  return () => {
    const now = Date.now();
    if (last && now - last.at < maxAgeMs) return last.value;
    const value = fn();
    last = { at: now, value };
    value.catch(() => {
      last = null;
    });
    return value;
  };
}

function parseJson(payload: Buffer): unknown {
  try {
    return JSON.parse(payload.toString('utf8'));
  } catch {
    return null;
  }
}
