/** Ingest: telemetry from the broker, validated, judged by the rules, made durable, then acknowledged. */
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import mqtt, { type MqttClient } from 'mqtt';
import type { Logger } from 'pino';
import type { AlertEvent } from '../core/alert.js';
import type { Rejection } from '../core/reading.js';
import type { Registry } from '../core/registry.js';
import { type ErrorPayload, topics } from '../core/topics.js';
import type { TelemetryStore } from '../store/telemetry-store.js';
import { createAlertPipeline } from './alert-pipeline.js';
import { createBatcher } from './batcher.js';
import { corked, receiveWithDeferredAcks } from './deferred-ack.js';
import { handleTelemetry } from './handle-telemetry.js';
import { createCounters, type IngestCounters, renderMetrics } from './ingest-metrics.js';
import { createRuleRunner } from './rule-runner.js';
import { createSink } from './sink.js';
import { openSpool, type SpoolRecord } from './spool.js';

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
  /** Bound of the on-disk spool (default 256 MiB, about a million Readings). */
  spoolMaxBytes?: number;
  /** How often `stale` is checked (default 1 s, so it fires well within 10 s of its deadline). */
  staleEveryMs?: number;
  /** A store write slower than this goes to the spool instead (default 5 s). */
  writeTimeoutMs?: number;
  /** Readings taken from the broker and not yet durable beyond which ingest stops reading (default 20,000). */
  highWater?: number;
  /** What `stale` counts silence on: `readings` follows a replay's simulated time (INGEST_STALE_CLOCK). */
  staleClock?: 'wall' | 'readings';
}

export interface Ingest {
  counters: IngestCounters;
  /** Prometheus text exposition of ingest's counters and gauges. */
  metrics(): string;
  stop(): Promise<void>;
}

const DEFAULT_SPOOL_BYTES = 256 * 1024 * 1024;
const noop = () => {};

export async function createIngest(deps: IngestDeps): Promise<Ingest> {
  const { log, store } = deps;
  const clock = deps.clock ?? Date.now;
  const counters = createCounters();
  const runner = createRuleRunner(deps.registry, { staleClock: deps.staleClock });
  const spool = await openSpool(
    join(deps.dataDir, 'spool', 'ingest.spool'),
    deps.spoolMaxBytes ?? DEFAULT_SPOOL_BYTES,
  );
  const sink = createSink({
    store,
    spool,
    log,
    writeTimeoutMs: deps.writeTimeoutMs,
    onReplayed: (readings) => {
      counters.stored += readings;
    },
    onFailure: () => {
      counters.storeFailures++;
    },
  });
  const stopSignal = new AbortController();

  // State first, then the broker: the persistent session holds messages until ingest can judge them
  // without raising twice what is already active (CONTRACT §4).
  if (!spool.isEmpty()) log.info({ records: spool.pending() }, 'replaying the spool left by the last run');
  await sink.drainSpool(stopSignal.signal);
  runner.restore(await untilAnswered(() => store.activeAlerts(), log, stopSignal.signal), clock());
  log.info({ active: runner.activeAlerts() }, 'alert state restored from the store');

  let client: MqttClient | null = null;
  /** A clear from ingest may follow an acknowledgement through the API: it is published with it. */
  const withAcknowledgement = (events: AlertEvent[]) =>
    Promise.all(
      events.map(async (e) => {
        if (e.type !== 'cleared') return e;
        const stored = await store.getAlert(e.alert.id).catch(() => null);
        if (!stored?.alert.acknowledged) return e;
        const { acknowledgedAt, acknowledgedBy, note } = stored.alert;
        return { ...e, alert: { ...e.alert, acknowledged: true, acknowledgedAt, acknowledgedBy, note } };
      }),
    );
  const publishEvents = (events: AlertEvent[]) => {
    for (const e of events) {
      client?.publish(topics.alerts(e.alert.countyId), JSON.stringify(e), { qos: 1 }, (err) => {
        if (err) log.warn({ err: err.message, alertId: e.alert.id }, 'alert event not published');
      });
    }
  };
  const write = (record: SpoolRecord) => {
    const started = performance.now();
    return sink.write(record).then((where) => {
      if (record.readings.length > 0) counters.writeTime.observe((performance.now() - started) / 1000);
      if (where === 'stored') counters.stored += record.readings.length;
      else counters.spooled += record.readings.length;
      return where;
    });
  };
  const alerts = createAlertPipeline({
    write,
    prepare: withAcknowledgement,
    async publish(events) {
      for (const e of events) {
        const by = e.type === 'raised' ? counters.raised : counters.cleared;
        by[e.alert.ruleId] = (by[e.alert.ruleId] ?? 0) + 1;
        log.info(
          { alertId: e.alert.id, deviceId: e.alert.deviceId, countyId: e.alert.countyId },
          `alert ${e.type}: ${e.alert.message}`,
        );
      }
      publishEvents(events);
    },
    published: (receivedAt) => counters.alertDelay.observe((clock() - receivedAt) / 1000),
    log,
  });
  const batcher = createBatcher({
    write,
    acknowledge: (items) => {
      const ackAll = () => {
        for (const item of items) item.ack();
      };
      if (client) corked(client, ackAll);
      else ackAll();
    },
    log,
    highWater: deps.highWater,
  });

  const report = (deviceId: string, r: Rejection) => {
    const payload: ErrorPayload = { error: r.error, at: new Date(clock()).toISOString() };
    if (r.path !== undefined) payload.path = r.path;
    if (r.seq !== undefined) payload.seq = r.seq;
    if (r.ts !== undefined) payload.ts = r.ts;
    client?.publish(topics.errors(deviceId), JSON.stringify(payload), { qos: 0 });
  };

  // Once per device until the registry changes, so a device ingest does not know yet cannot flood the log.
  const warned = new Set<string>();
  let warnedFor = deps.registry();
  const warnUnknown = (deviceId: string) => {
    if (deps.registry() !== warnedFor) {
      warned.clear();
      warnedFor = deps.registry();
    }
    if (warned.has(deviceId)) return;
    warned.add(deviceId);
    log.warn({ deviceId }, 'telemetry from a device not in the registry (reload it with SIGHUP); dropped');
  };

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
    // Once stopping, messages are left unacknowledged for the next session (and the pump kept moving
    // so in-flight alert publishes can complete).
    if (stopping) return next();
    const now = clock();
    const judged = handleTelemetry(delivery.topic, delivery.payload, now, runner, counters);
    if (judged.deviceId !== undefined) for (const r of judged.rejections) report(judged.deviceId, r);
    if (judged.unknownDevice !== undefined) warnUnknown(judged.unknownDevice);
    // Even a message with nothing to store is acknowledged in turn, keeping PUBACKs in order.
    const events = judged.events.length > 0 ? alerts.submit(judged.events, now) : undefined;
    batcher.add({ readings: judged.readings, events, ack: delivery.ack });
    batcher.whenRoom(next);
  });
  client.on('error', (e) => log.warn({ err: e.message }, 'mqtt client error'));
  client.on('reconnect', () => log.info('reconnecting to the broker'));
  const connected = client;
  await new Promise<void>((resolve, reject) => {
    connected.once('connect', () => resolve());
    connected.once('error', reject);
  });
  await connected.subscribeAsync(topics.allTelemetry, { qos: 1 });

  const staleTimer = setInterval(() => {
    const events = runner.checkStale(clock());
    if (events.length > 0) void alerts.submit(events);
  }, deps.staleEveryMs ?? 1000);
  staleTimer.unref();

  return {
    counters,
    metrics: () =>
      renderMetrics(counters, {
        spoolBytes: spool.bytes(),
        spoolRecords: spool.pending(),
        waiting: batcher.waiting(),
        activeAlerts: runner.activeAlerts(),
        connected: connected.connected,
      }),
    async stop() {
      stopping = true;
      stopSignal.abort();
      clearInterval(staleTimer);
      await batcher.drain();
      await alerts.drain();
      await connected.endAsync();
      await sink.close();
      await spool.close();
    },
  };
}

/** Retries a store call until it answers: ingest must not judge anything before it knows what is active. */
async function untilAnswered<T>(fn: () => Promise<T>, log: Logger, signal: AbortSignal): Promise<T> {
  for (let delay = 500; ; delay = Math.min(delay * 2, 5_000)) {
    try {
      return await fn();
    } catch (e) {
      if (signal.aborted) throw e;
      log.warn({ err: (e as Error).message }, 'store not answering; ingest waits before subscribing');
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}
