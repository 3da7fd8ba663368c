/**
 * Subscriber-mode ingest, for a bureau that already runs another MQTT 3.1.1 broker: a persistent session
 * on `wl/v1/+/telemetry`, each message's PUBACK to that broker held until its Readings are durable. The
 * device's own PUBACK came from that broker earlier, from its memory: this mode is as safe as that
 * broker's queue, which is weaker than a waterline node, where ingest runs in the publish path.
 */
import mqtt, { type MqttClient } from 'mqtt';
import type { Logger } from 'pino';
import { AlertEvent } from '../core/alert.js';
import type { Registry } from '../core/registry.js';
import { topics } from '../core/topics.js';
import type { TelemetryStore } from '../store/telemetry-store.js';
import { receiveWithDeferredAcks } from './deferred-ack.js';
import { createIngestCore } from './ingest-core.js';
import type { IngestCounters } from './ingest-metrics.js';

export interface IngestDeps {
  mqttUrl: string;
  password: string;
  registry: () => Registry;
  store: TelemetryStore;
  log: Logger;
  /** The spool lives in `${dataDir}/spool/`. */
  dataDir: string;
  clock?: () => number;
  /** Fixed client id of the persistent session; the broker queues QoS 1 telemetry under it while ingest is away. */
  clientId?: string;
  spoolMaxBytes?: number;
  staleEveryMs?: number;
  writeTimeoutMs?: number;
  highWater?: number;
  /** What `stale` counts silence on: `readings` follows a replay's simulated time (INGEST_STALE_CLOCK). */
  staleClock?: 'wall' | 'readings';
}

export interface Ingest {
  counters: IngestCounters;
  /** Prometheus text exposition of ingest's counters and gauges. */
  metrics(): Promise<string>;
  stop(): Promise<void>;
}

const noop = () => {};

export async function createIngest(deps: IngestDeps): Promise<Ingest> {
  const { log } = deps;
  let client: MqttClient | null = null;
  const core = await createIngestCore({
    ...deps,
    publish(topic, payload, qos) {
      client?.publish(topic, payload, { qos }, (err) => {
        if (err) log.warn({ err: err.message, topic }, 'not published');
      });
    },
  });

  let stopping = false;
  client = mqtt.connect(deps.mqttUrl, {
    clientId: deps.clientId ?? 'svc:ingest',
    username: 'svc:ingest',
    password: deps.password,
    clean: false,
    reconnectPeriod: 1000,
    // mqtt.js formats a debug line for every packet unless given its own logger.
    log: noop,
  });
  // Set before the connection opens: a persistent session's queued messages arrive right after CONNACK.
  receiveWithDeferredAcks(client, (delivery, next) => {
    // Once stopping, messages are left unacknowledged for the next session.
    if (stopping) return next();
    if (delivery.topic.startsWith('wl/v1/alerts/')) {
      const parsed = AlertEvent.safeParse(safeJson(delivery.payload));
      if (parsed.success) core.observe(parsed.data);
      delivery.ack();
      return next();
    }
    core.receive(delivery.topic, delivery.payload, delivery.ack);
    core.whenRoom(next);
  });
  client.on('error', (e) => log.warn({ err: e.message }, 'mqtt client error'));
  client.on('reconnect', () => log.info('reconnecting to the broker'));
  const connected = client;
  await new Promise<void>((resolve, reject) => {
    connected.once('connect', () => resolve());
    connected.once('error', reject);
  });
  // Acknowledgements made through the API, so a clear is published with them (see acknowledgements.ts).
  await connected.subscribeAsync([topics.allTelemetry, topics.allAlerts], { qos: 1 });

  return {
    counters: core.counters,
    metrics: () => core.metrics(connected.connected),
    async stop() {
      stopping = true;
      await core.stop();
      await connected.endAsync();
    },
  };
}

function safeJson(payload: Buffer): unknown {
  try {
    return JSON.parse(payload.toString('utf8'));
  } catch {
    return null;
  }
}
