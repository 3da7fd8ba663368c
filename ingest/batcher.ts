/** Micro-batches: messages' Readings gathered while the previous batch is written, flushed once, then acknowledged in order. */
import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import type { StoredReading } from '../core/stored-reading.js';
import type { Durable } from './sink.js';
import type { SpoolRecord } from './spool.js';

/** What one MQTT message contributes, and how to acknowledge it once durable. */
export interface Item {
  readings: StoredReading[];
  /** Settles when the message's alert events are durable (they travel apart, see alert-pipeline.ts). */
  events?: Promise<void>;
  ack: () => void;
}

export interface BatcherOptions {
  /** Makes a batch durable (store or spool); rejects when it cannot, and the batch is retried. */
  write: (record: SpoolRecord) => Promise<Durable>;
  /** Acknowledges a durable batch's items, in order (default: each item's `ack`). */
  acknowledge?: (items: readonly Item[]) => void;
  log: Logger;
  /** Readings per write at most (whole messages; a message of 1000 Readings may exceed it). */
  maxBatch?: number;
  /** Readings waiting (queued and being written) beyond which no new message is taken. */
  highWater?: number;
  retryMs?: number;
  /**
   * Batches written at once (default 1). More lets the next batch go while the previous one waits:
   * InfluxDB's HTTP API takes concurrent writes, and the embedded store commits the next batch while the
   * previous one's WAL sync runs on the thread pool. Acknowledgements still go out in order.
   */
  inFlight?: number;
  /**
   * Group commit (default 0: none): while fewer than `lingerFill` Readings wait, a batch starts no sooner
   * than `lingerMs` after the previous one started, so a light load's messages share a write. A write
   * costs nearly the same for 10 Readings as for 500 (a SQLite commit writes a WAL frame for every page it
   * touches; InfluxDB 1.x syncs its WAL for every write request), and at 5,000 Readings/s from 1,000
   * devices writing each burst by itself took a quarter more of ingest's CPU. A heavy load is not held:
   * past `lingerFill` the batch goes at once. Nor is a lone device that waits for each PUBACK before its
   * next message (the previous batch held one message): nothing would join it.
   */
  lingerMs?: number;
  /** Readings waiting that end a linger (default 1,000). */
  lingerFill?: number;
}

export interface Batcher {
  add(item: Item): void;
  /** True while below the high-water mark: the next message may be taken. */
  hasRoom(): boolean;
  /** Calls `fn` once there is room again (at once if there is). */
  whenRoom(fn: () => void): void;
  /** Readings queued or being written. */
  waiting(): number;
  /** Resolves when everything added so far is durable and acknowledged. */
  drain(): Promise<void>;
}

/**
 * Batches become durable and PUBACKs go out in the order the messages arrived (MQTT 3.1.1 §4.6
 * [MQTT-4.6.0-2]): a batch is acknowledged only after every batch before it. Whatever arrives during
 * the writes forms the next batch, so batches grow with the load and latency stays at about one write
 * when the load is light.
 */
export function createBatcher(opts: BatcherOptions): Batcher {
  const maxBatch = opts.maxBatch ?? 5_000;
  const highWater = opts.highWater ?? 20_000;
  const retryMs = opts.retryMs ?? 1_000;
  const inFlight = Math.max(1, opts.inFlight ?? 1);
  const lingerMs = opts.lingerMs ?? 0;
  const lingerFill = opts.lingerFill ?? 1_000;
  let lastStart = Number.NEGATIVE_INFINITY;
  /** Messages in the batch started last. */
  let lastItems = 0;
  const acknowledge =
    opts.acknowledge ??
    ((items: readonly Item[]) => {
      for (const item of items) item.ack();
    });
  const queue: Item[] = [];
  let queued = 0;
  /** Readings in batches being written. */
  let writing = 0;
  /** Batches being written or waiting for an earlier one to be acknowledged. */
  let active = 0;
  /** Settles once the newest batch started is acknowledged: the next one's acknowledgement waits for it. */
  let acknowledged: Promise<void> = Promise.resolve();
  let scheduled = false;
  /** A linger under way: the next batch starts when it ends, or when `lingerFill` Readings wait. */
  let lingering: NodeJS.Timeout | null = null;
  const roomWaiters: (() => void)[] = [];
  const drainWaiters: (() => void)[] = [];

  const hasRoom = () => queued + writing < highWater;

  /** The oldest items up to maxBatch Readings (at least one item), in one splice rather than a shift each. */
  const take = (): { items: Item[]; n: number } => {
    let n = 0;
    let k = 0;
    while (k < queue.length && (k === 0 || n + queue[k]!.readings.length <= maxBatch)) {
      n += queue[k]!.readings.length;
      k++;
    }
    queued -= n;
    writing += n;
    return { items: queue.splice(0, k), n };
  };

  /** Retries until the batch's Readings and its messages' alert events are durable. */
  const makeDurable = async (batch: Item[]): Promise<void> => {
    const readings: StoredReading[] = [];
    const events: Promise<void>[] = [];
    for (const item of batch) {
      for (const r of item.readings) readings.push(r);
      if (item.events) events.push(item.events);
    }
    const record: SpoolRecord = { readings, events: [] };
    for (;;) {
      try {
        if (readings.length > 0) await opts.write(record);
        await Promise.all(events);
        return;
      } catch (e) {
        // Nothing is acknowledged: the broker keeps these messages, and new ones wait behind them.
        opts.log.error({ err: e, readings: record.readings.length }, 'batch not durable; retrying');
        await new Promise((r) => setTimeout(r, retryMs));
      }
    }
  };

  const pump = () => {
    while (active < inFlight && queue.length > 0) {
      const { items, n } = take();
      active++;
      lastStart = performance.now();
      lastItems = items.length;
      const durable = makeDurable(items);
      const before = acknowledged;
      acknowledged = (async () => {
        await durable;
        await before;
        acknowledge(items);
        writing -= n;
        active--;
        while (hasRoom() && roomWaiters.length > 0) roomWaiters.shift()!();
        schedule();
        settled();
      })();
    }
  };

  const settled = () => {
    if (active === 0 && !scheduled && queue.length === 0) for (const w of drainWaiters.splice(0)) w();
  };

  const schedule = () => {
    if (active >= inFlight || scheduled || queue.length === 0) return;
    const wait = queued >= lingerFill || lastItems < 2 ? 0 : lastStart + lingerMs - performance.now();
    if (wait >= 1) {
      lingering ??= setTimeout(() => {
        lingering = null;
        schedule();
      }, wait);
      return;
    }
    if (lingering) clearTimeout(lingering);
    lingering = null;
    scheduled = true;
    // After the current burst of packets has been parsed (mqtt.js works through a socket chunk on
    // process.nextTick), so they share one write.
    setImmediate(() => {
      scheduled = false;
      pump();
      settled();
    });
  };

  return {
    add(item) {
      queue.push(item);
      queued += item.readings.length;
      schedule();
    },
    hasRoom,
    whenRoom(fn) {
      if (hasRoom()) fn();
      else roomWaiters.push(fn);
    },
    waiting: () => queued + writing,
    drain() {
      if (active === 0 && !scheduled && queue.length === 0) return Promise.resolve();
      return new Promise((resolve) => drainWaiters.push(resolve));
    },
  };
}
