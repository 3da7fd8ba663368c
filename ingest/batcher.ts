/** Micro-batches: messages' Readings gathered while the previous batch is written, flushed once, then acknowledged in order. */
import type { Logger } from 'pino';
import type { AlertEvent } from '../core/alert.js';
import type { StoredReading } from '../core/stored-reading.js';
import type { Durable } from './sink.js';
import type { SpoolRecord } from './spool.js';

/** What one MQTT message (or one stale check) contributes, and how to acknowledge it once durable. */
export interface Item {
  readings: StoredReading[];
  events: AlertEvent[];
  ack: () => void;
}

export interface BatcherOptions {
  /** Makes a batch durable (store or spool); rejects when it cannot, and the batch is retried. */
  write: (record: SpoolRecord) => Promise<Durable>;
  /** After a batch is durable and before its messages are acknowledged: publish its alert events. */
  durable: (record: SpoolRecord, where: Durable) => Promise<void>;
  log: Logger;
  /** Readings per write at most (whole messages; a message of 1000 Readings may exceed it). */
  maxBatch?: number;
  /** Readings waiting (queued and being written) beyond which no new message is taken. */
  highWater?: number;
  retryMs?: number;
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
 * One write in flight at a time, so batches become durable and PUBACKs go out in the order the
 * messages arrived (MQTT 3.1.1 §4.6 [MQTT-4.6.0-2]). Whatever arrives during a write forms the next
 * batch, so batches grow with the load and latency stays at about one write when the load is light.
 */
export function createBatcher(opts: BatcherOptions): Batcher {
  const maxBatch = opts.maxBatch ?? 5_000;
  const highWater = opts.highWater ?? 20_000;
  const retryMs = opts.retryMs ?? 1_000;
  const queue: Item[] = [];
  let queued = 0;
  let writing = 0;
  let running = false;
  let scheduled = false;
  const roomWaiters: (() => void)[] = [];
  const drainWaiters: (() => void)[] = [];

  const hasRoom = () => queued + writing < highWater;

  const take = (): Item[] => {
    const batch: Item[] = [];
    let n = 0;
    while (queue.length > 0 && (batch.length === 0 || n + queue[0]!.readings.length <= maxBatch)) {
      const item = queue.shift()!;
      n += item.readings.length;
      batch.push(item);
    }
    queued -= n;
    writing = n;
    return batch;
  };

  const run = async () => {
    running = true;
    while (queue.length > 0) {
      const batch = take();
      const record: SpoolRecord = {
        readings: batch.length === 1 ? batch[0]!.readings : batch.flatMap((i) => i.readings),
        events: batch.flatMap((i) => i.events),
      };
      for (;;) {
        try {
          const where = await opts.write(record);
          await opts.durable(record, where).catch((e: unknown) => {
            opts.log.error({ err: e }, 'publishing alert events failed');
          });
          break;
        } catch (e) {
          // Nothing is acknowledged: the broker keeps these messages, and new ones wait behind them.
          opts.log.error({ err: e, readings: record.readings.length }, 'batch not durable; retrying');
          await new Promise((r) => setTimeout(r, retryMs));
        }
      }
      for (const item of batch) item.ack();
      writing = 0;
      while (hasRoom() && roomWaiters.length > 0) roomWaiters.shift()!();
    }
    running = false;
    for (const w of drainWaiters.splice(0)) w();
  };

  const schedule = () => {
    if (running || scheduled) return;
    scheduled = true;
    // After the current burst of packets has been parsed (mqtt.js works through a socket chunk on
    // process.nextTick), so they share one write.
    setImmediate(() => {
      scheduled = false;
      if (!running && queue.length > 0) void run();
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
      if (!running && !scheduled && queue.length === 0) return Promise.resolve();
      return new Promise((resolve) => drainWaiters.push(resolve));
    },
  };
}
