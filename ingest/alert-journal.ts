/**
 * Alert events made durable in a local journal first, then written to a remote store behind: an alert
 * is published once it is fsync'd here, not after a round trip to InfluxDB.
 */
import type { Logger } from 'pino';
import type { AlertEvent } from '../core/alert.js';
import type { TelemetryStore } from '../store/telemetry-store.js';
import { oneAtATime } from './one-at-a-time.js';
import type { Spool } from './spool.js';

export interface AlertJournalOptions {
  store: TelemetryStore;
  /** The journal's file; a spool of its own, holding events only. */
  spool: Spool;
  log: Logger;
  /** Told of events once the store holds them (same-process streams read them from the store). */
  onStored?: (events: readonly AlertEvent[]) => void;
  /** Pause before retrying a store write that failed. */
  retryMs?: number;
  /** Journal records (one per alert-pipeline write) per store write. */
  batch?: number;
}

export interface AlertJournal {
  /** Resolves once the events survive a crash (appended and fdatasync'd); the store gets them after. */
  write(events: readonly AlertEvent[]): Promise<void>;
  /** Events journaled and not yet in the store. */
  pending(): number;
  /** Resolves once the store holds everything journaled, or `signal` aborts. */
  drain(signal?: AbortSignal): Promise<void>;
  close(): Promise<void>;
}

/**
 * CONTRACT §3 asks for an alert on MQTT within 1 s, and a county wants it within milliseconds; an
 * InfluxDB write under load takes 50–150 ms. A local fdatasync takes about one. So in the InfluxDB
 * setup an event counts as durable once journaled, and a single writer copies the journal into the
 * store in order, retrying while the store is away. Appends never wait for that copy: they only queue
 * behind the journal's own short file operations (a read, a truncate). After a crash the journal is
 * copied again from its start; the store's event writes are idempotent (same alert id, type and time).
 */
export function createAlertJournal(opts: AlertJournalOptions): AlertJournal {
  const { store, spool, log } = opts;
  const retryMs = opts.retryMs ?? 1_000;
  const batch = opts.batch ?? 500;
  // The spool's file operations one at a time: an append must not run into a commit's truncate.
  const locked = oneAtATime();
  let copying: Promise<void> | null = null;
  let closed = false;
  let wake: (() => void) | null = null;

  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    }).finally(() => {
      wake = null;
    });

  const copy = async (): Promise<void> => {
    while (!spool.isEmpty() && !closed) {
      const records = await locked(() => spool.peek(Number.POSITIVE_INFINITY, batch));
      if (records.length === 0) break;
      const events = records.flatMap((r) => r.record.events);
      try {
        await store.appendAlertEvents(events);
      } catch (e) {
        log.warn(
          { err: e instanceof Error ? e.message : String(e), journaled: spool.pending() },
          'store not taking alert events; they stay in the journal',
        );
        await pause(retryMs);
        continue;
      }
      await locked(() => spool.commit(records[records.length - 1]!.end, records.length));
      opts.onStored?.(events);
    }
  };
  const kick = () => {
    copying ??= copy()
      .catch(async (e: unknown) => {
        // The journal file itself failed (read or truncate): say so and try again, never crash the node.
        log.error({ err: e instanceof Error ? e.message : String(e) }, 'alert journal copy failed');
        await pause(retryMs);
      })
      .finally(() => {
        copying = null;
        if (!spool.isEmpty() && !closed) kick();
      });
  };
  if (!spool.isEmpty()) kick();

  return {
    async write(events) {
      await locked(() => spool.append({ readings: [], events: [...events] }));
      kick();
    },
    pending: () => spool.pending(),
    async drain(signal) {
      // The copy keeps retrying in the background after an abort; only the wait for it ends.
      const aborted = new Promise<void>((resolve) => {
        if (signal?.aborted) resolve();
        signal?.addEventListener('abort', () => resolve(), { once: true });
      });
      while (!spool.isEmpty() && !signal?.aborted && !closed) {
        kick();
        await Promise.race([copying, aborted]);
      }
    },
    async close() {
      closed = true;
      wake?.();
      await copying;
      await locked(async () => {});
    },
  };
}
