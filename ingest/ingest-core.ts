/**
 * Ingest without a transport: a telemetry message in, validated, judged by the rules, made durable, then
 * `done`. The broker calls it in its publish path (the device's PUBACK waits for `done`); the subscriber
 * mode (create-ingest.ts) calls it from an MQTT client whose PUBACK to the broker waits the same way.
 */
import { basename, dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import type { Alert, AlertEvent } from '../core/alert.js';
import { errorReport } from '../core/error-report.js';
import { markSuppressed } from '../core/notify/maintenance.js';
import type { Registry } from '../core/registry.js';
import { type ErrorPayload, topics } from '../core/topics.js';
import type { TelemetryStore } from '../store/telemetry-store.js';
import { createAcknowledgements } from './acknowledgements.js';
import { createAlertJournal } from './alert-journal.js';
import { createAlertPipeline } from './alert-pipeline.js';
import { createBatcher, type Item } from './batcher.js';
import { handleTelemetry } from './handle-telemetry.js';
import { createCounters, type IngestCounters, renderMetrics } from './ingest-metrics.js';
import { createRuleRunner, type RuleRunner } from './rule-runner.js';
import { createSink } from './sink.js';
import { openSpool, type SpoolRecord } from './spool.js';

export interface IngestCoreDeps {
  registry: () => Registry;
  store: TelemetryStore;
  log: Logger;
  /** The spool lives in `${dataDir}/spool/`. */
  dataDir: string;
  /** Sends one message to MQTT subscribers (alert events, error reports): in-process in a node. */
  publish: (topic: string, payload: string, qos: 0 | 1) => void;
  /** Told of every AlertEvent once it is durable (notifications, incidents, same-process streams). */
  onAlertEvents?: (events: readonly AlertEvent[]) => void;
  /** Whether an alert raised at `at` falls in a maintenance window (notify/): it is then stored as suppressed. */
  isSuppressed?: (alert: Alert, at: number) => boolean;
  clock?: () => number;
  /** Bound of the on-disk spool (default 256 MiB, about a million Readings). */
  spoolMaxBytes?: number;
  /** How often `stale` is checked (default 1 s, so it fires well within 10 s of its deadline). */
  staleEveryMs?: number;
  /** A store write slower than this goes to the spool instead (default 5 s). */
  writeTimeoutMs?: number;
  /** Readings taken and not yet durable beyond which no more are taken (default 20,000). */
  highWater?: number;
  /** What `stale` counts silence on: `readings` follows a replay's simulated time (INGEST_STALE_CLOCK). */
  staleClock?: 'wall' | 'readings';
  /** The spool's file (default `${dataDir}/spool/ingest.spool`), the alert journal beside it; one per process. */
  spoolFile?: string;
}

export interface IngestCore {
  counters: IngestCounters;
  runner: RuleRunner;
  /**
   * One telemetry message. `done` is called once its Readings and alert events are durable (QoS 1: the
   * caller acknowledges then), or at once for a message with nothing to keep; never with an error: a
   * message that cannot be made durable yet is retried, so `done` waits (that is the backpressure).
   */
  receive(topic: string, payload: Buffer, done: () => void): void;
  /** True while below the high-water mark of Readings waiting to be durable. */
  hasRoom(): boolean;
  whenRoom(fn: () => void): void;
  /** An AlertEvent from elsewhere (an acknowledgement or a resolve through the API), here or on another node. */
  observe(event: AlertEvent): void;
  /** Why ingest cannot keep its promise now (null = it can): what /readyz reports. */
  notReady(): string | null;
  metrics(connected: boolean): Promise<string>;
  stop(): Promise<void>;
}

/**
 * Group commit of a light load (batcher.ts): 10 ms on a PUBACK against a fifth of ingest's CPU at
 * 5,000 Readings/s from 1,000 devices (the e2e bench's held load: 0.61 of a core without, 0.47 with).
 */
const BATCH_LINGER_MS = 10;
const DEFAULT_SPOOL_BYTES = 256 * 1024 * 1024;
/** Alert batches journaled and not yet in the store beyond which /readyz says the store is behind. */
const JOURNAL_BEHIND = 100;
/** The journal is emptied once copied and this large (about 2,000 events), not after every copy. */
const JOURNAL_TRUNCATE_BYTES = 1024 * 1024;
/** About 150,000 alert events: days of a county's alerts while the store is away. */
const JOURNAL_BYTES = 64 * 1024 * 1024;

/** Reads the spool and the store's active alerts, then judges: nothing may be judged before both. */
export async function createIngestCore(deps: IngestCoreDeps): Promise<IngestCore> {
  const { log, store } = deps;
  const clock = deps.clock ?? Date.now;
  const counters = createCounters();
  const runner = createRuleRunner(deps.registry, { staleClock: deps.staleClock });
  const spoolFile = deps.spoolFile ?? join(deps.dataDir, 'spool', 'ingest.spool');
  const spool = await openSpool(spoolFile, deps.spoolMaxBytes ?? DEFAULT_SPOOL_BYTES);
  // A remote store's alert events are journaled here first (alert-journal.ts); the embedded store's
  // own commit is as quick as a journal append, so it takes them directly.
  const journalSpool = store.remote
    ? await openSpool(join(dirname(spoolFile), `${basename(spoolFile, '.spool')}.alerts`), JOURNAL_BYTES, {
        truncateAtBytes: JOURNAL_TRUNCATE_BYTES,
      })
    : null;
  const journal = journalSpool
    ? createAlertJournal({
        store,
        spool: journalSpool,
        log,
        onStored: (events) => deps.onAlertEvents?.(events),
      })
    : null;
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

  // State first: what is active must be known before judging, so nothing raises twice (CONTRACT §4).
  if (!spool.isEmpty()) log.info({ records: spool.pending() }, 'replaying the spool left by the last run');
  await sink.drainSpool(stopSignal.signal);
  if (journal && journal.pending() > 0)
    log.info({ records: journal.pending() }, 'copying the alert journal into the store');
  await journal?.drain(stopSignal.signal);
  const active = await untilAnswered(() => store.activeAlerts(), log, stopSignal.signal);
  runner.restore(active, clock());
  log.info({ active: runner.activeAlerts() }, 'alert state restored from the store');

  // A clear judged here may follow an acknowledgement made through the API: published with it, from
  // memory rather than a store read on the alert path.
  const acks = createAcknowledgements(active);

  const write = (record: SpoolRecord) => {
    const started = performance.now();
    return sink.write(record).then((where) => {
      if (record.readings.length > 0) counters.writeTime.observe((performance.now() - started) / 1000);
      if (where === 'stored') counters.stored += record.readings.length;
      else counters.spooled += record.readings.length;
      return where;
    });
  };
  const suppress = deps.isSuppressed;
  /** An alert raised in a maintenance window is stored and published as suppressed (it notifies nobody). */
  const marked = (events: AlertEvent[]) => (suppress ? markSuppressed(events, suppress) : events);
  const alerts = createAlertPipeline({
    write: journal ? (record) => journal.write(record.events).then(() => 'spooled' as const) : write,
    prepare: async (events) => events.map(acks.merge),
    async publish(events) {
      for (const e of events) {
        // `grouped` (an alert moved into an incident) is neither a raise nor a clear.
        if (e.type === 'raised' || e.type === 'cleared') {
          const by = e.type === 'raised' ? counters.raised : counters.cleared;
          by[e.alert.ruleId] = (by[e.alert.ruleId] ?? 0) + 1;
        }
        log.info(
          { alertId: e.alert.id, deviceId: e.alert.deviceId, countyId: e.alert.countyId },
          `alert ${e.type}: ${e.alert.message}`,
        );
        deps.publish(topics.alerts(e.alert.countyId), JSON.stringify(e), 1);
      }
      // Same-process streams read events from the store: told once the store holds them.
      if (!journal) deps.onAlertEvents?.(events);
    },
    published: (receivedAt) => counters.alertDelay.observe((clock() - receivedAt) / 1000),
    log,
  });
  const batcher = createBatcher({
    write,
    log,
    highWater: deps.highWater,
    inFlight: deps.store.writesInFlight,
    lingerMs: BATCH_LINGER_MS,
  });

  const report = (deviceId: string, payload: ErrorPayload) =>
    deps.publish(topics.errors(deviceId), JSON.stringify(payload), 0);

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

  const staleTimer = setInterval(() => {
    const events = runner.checkStale(clock());
    if (events.length > 0) void alerts.submit(marked(events));
  }, deps.staleEveryMs ?? 1000);
  staleTimer.unref();

  let stopping = false;
  const notReady = (): string | null => {
    if (stopping) return 'stopping';
    if (sink.spooling()) return `store unavailable: ${spool.pending()} batches waiting in the spool`;
    if (journal && journal.pending() > JOURNAL_BEHIND)
      return `store behind: ${journal.pending()} alert batches waiting in the journal`;
    if (!batcher.hasRoom()) return `behind: ${batcher.waiting()} Readings waiting to be stored`;
    return null;
  };
  return {
    counters,
    runner,
    receive(topic, payload, done) {
      if (stopping) return;
      const now = clock();
      const judged = handleTelemetry(topic, payload, now, runner, counters);
      if (judged.deviceId !== undefined) {
        const errors = errorReport(judged.rejections, now);
        if (errors) report(judged.deviceId, errors);
      }
      if (judged.unknownDevice !== undefined) warnUnknown(judged.unknownDevice);
      // Even a message with nothing to keep goes through the batcher, so it is acknowledged after the
      // messages before it: PUBACKs leave in the order of the PUBLISHes (MQTT 3.1.1 §4.6).
      const item: Item = { readings: judged.readings, ack: done };
      if (judged.events.length > 0) item.events = alerts.submit(marked(judged.events), now);
      batcher.add(item);
    },
    hasRoom: batcher.hasRoom,
    whenRoom: batcher.whenRoom,
    observe(event) {
      acks.observe(event);
      // Resolved by hand through the API (here or on another node): the next breach raises anew.
      if (event.type === 'resolved') runner.resolved(event.alert);
    },
    notReady,
    metrics(connected) {
      return renderMetrics(counters, {
        spoolBytes: spool.bytes(),
        spoolRecords: spool.pending(),
        waiting: batcher.waiting(),
        activeAlerts: runner.activeAlerts(),
        connected,
        notReady: notReady(),
      });
    },
    async stop() {
      stopping = true;
      stopSignal.abort();
      clearInterval(staleTimer);
      await batcher.drain();
      await alerts.drain();
      // What the journal holds is durable already; copied now if the store answers, else at the next start.
      await journal?.drain(AbortSignal.timeout(2_000));
      await journal?.close();
      await journalSpool?.close();
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
      log.warn({ err: (e as Error).message }, 'store not answering; ingest waits before taking messages');
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}
