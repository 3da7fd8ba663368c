/** Alert events on their own fast path: made durable (store or spool) in order, then published on MQTT at once. */
import type { Logger } from 'pino';
import type { AlertEvent } from '../core/alert.js';
import type { Durable } from './sink.js';
import type { SpoolRecord } from './spool.js';

export interface AlertPipelineOptions {
  write: (record: SpoolRecord) => Promise<Durable>;
  /** Started as the events are written (so it costs no extra time): the events as they will be published. */
  prepare?: (events: AlertEvent[]) => Promise<AlertEvent[]>;
  /** Called once the events are durable, with what `prepare` made of them; publishes them. */
  publish: (events: AlertEvent[]) => Promise<void>;
  /** Told, once published, when the message that caused events was received (receiving clock, ms). */
  published?: (receivedAt: number) => void;
  log: Logger;
  retryMs?: number;
}

export interface AlertPipeline {
  /** Resolves once the events are durable and handed to MQTT (it retries until they are). */
  submit(events: AlertEvent[], receivedAt?: number): Promise<void>;
  /** Resolves when everything submitted so far is done. */
  drain(): Promise<void>;
}

/**
 * An alert must not wait behind a batch of thousands of Readings being written: the county should learn
 * of zero chlorine within milliseconds (CONTRACT §3 asks for 1 s). So events are written by themselves,
 * one write in flight at a time so they reach the store (and MQTT) in the order they were raised, and
 * whatever arrives during a write goes in the next. The message that caused them is acknowledged only
 * when both its Readings and its events are durable.
 */
export function createAlertPipeline(opts: AlertPipelineOptions): AlertPipeline {
  const retryMs = opts.retryMs ?? 1_000;
  let queue: { events: AlertEvent[]; receivedAt?: number; done: () => void }[] = [];
  let running: Promise<void> | null = null;

  const run = async () => {
    while (queue.length > 0) {
      const batch = queue;
      queue = [];
      const events = batch.length === 1 ? batch[0]!.events : batch.flatMap((b) => b.events);
      const prepared = opts.prepare ? opts.prepare(events).catch(() => events) : Promise.resolve(events);
      for (;;) {
        try {
          await opts.write({ readings: [], events });
          break;
        } catch (e) {
          opts.log.error({ err: e, events: events.length }, 'alert events not durable; retrying');
          await new Promise((r) => setTimeout(r, retryMs));
        }
      }
      await opts.publish(await prepared).catch((e: unknown) => {
        opts.log.error({ err: e }, 'publishing alert events failed');
      });
      for (const b of batch) {
        if (b.receivedAt !== undefined) opts.published?.(b.receivedAt);
        b.done();
      }
    }
    running = null;
  };

  return {
    submit(events, receivedAt) {
      return new Promise<void>((done) => {
        queue.push({ events, receivedAt, done });
        running ??= run();
      });
    },
    drain: () => running ?? Promise.resolve(),
  };
}
