/**
 * One poller per app tails the store's alert events and fans them out to stream clients. Tailing the
 * store, not MQTT, keeps the API independent of where ingest runs, and makes the stored event id the
 * SSE id, so a client reconnecting with Last-Event-ID resumes exactly where it stopped.
 */
import type { Logger } from 'pino';
import type { AlertEvent } from '../core/alert.js';
import type { StoredAlertEvent, TelemetryStore } from '../store/telemetry-store.js';

export interface FeedClient {
  accepts(e: AlertEvent): boolean;
  /** Resolves when the batch is written; the feed sends a client nothing else until then. */
  send(batch: readonly StoredAlertEvent[]): Promise<void>;
}

export interface AlertFeed {
  /**
   * Delivers every event after `after` (a Last-Event-ID), or after the newest stored event when it is
   * null. Returns the unsubscribe function.
   */
  subscribe(client: FeedClient, after: string | null): Promise<() => void>;
  clients(): number;
}

export interface AlertFeedOptions {
  store: TelemetryStore;
  log: Logger;
  /** CONTRACT §3 wants stream events within 1 s of their cause; 250 ms leaves room for the write. */
  pollMs?: number;
  /** Recent events kept in memory; a client further behind reads the store itself. */
  bufferSize?: number;
  batch?: number;
}

interface ClientState {
  client: FeedClient;
  /** Id of the last event this client has been offered; null = before the first stored event. */
  cursor: string | null;
  busy: boolean;
  closed: boolean;
}

export function createAlertFeed(opts: AlertFeedOptions): AlertFeed {
  const pollMs = opts.pollMs ?? 250;
  const bufferSize = opts.bufferSize ?? 10_000;
  const batch = opts.batch ?? 1000;
  const clients = new Set<ClientState>();
  // buffer[i] has absolute index first + i; `base` is the id just before buffer[0].
  let buffer: StoredAlertEvent[] = [];
  let first = 0;
  let base: string | null = null;
  const indexOf = new Map<string, number>();
  let ready: Promise<void> | null = null;
  let timer: NodeJS.Timeout | null = null;

  const newest = () => buffer.at(-1)?.id ?? base;

  async function fetchNew(): Promise<void> {
    // Bounded per tick, so one huge backlog cannot starve the clients' deliveries.
    for (let i = 0; i < 10; i++) {
      const got = await opts.store.alertEventsAfter(newest(), batch);
      for (const e of got) {
        indexOf.set(e.id, first + buffer.length);
        buffer.push(e);
      }
      if (got.length < batch) break;
    }
    if (buffer.length > bufferSize) {
      const drop = buffer.length - bufferSize;
      for (const e of buffer.slice(0, drop)) indexOf.delete(e.id);
      base = buffer[drop - 1]!.id;
      buffer = buffer.slice(drop);
      first += drop;
    }
  }

  /** Position in the buffer just after `cursor`, or undefined when the cursor is not in it. */
  function after(cursor: string | null): number | undefined {
    if (cursor === base) return 0;
    const i = cursor === null ? undefined : indexOf.get(cursor);
    return i === undefined ? undefined : i - first + 1;
  }

  async function deliver(s: ClientState): Promise<void> {
    if (s.busy || s.closed) return;
    s.busy = true;
    try {
      for (;;) {
        const k = after(s.cursor);
        // Behind the buffer (an old Last-Event-ID, or a slow client): catch up from the store.
        const events = k === undefined ? await opts.store.alertEventsAfter(s.cursor, batch) : buffer.slice(k);
        if (events.length === 0) return;
        s.cursor = events.at(-1)!.id;
        const wanted = events.filter((e) => s.client.accepts(e.event));
        if (wanted.length > 0) await s.client.send(wanted);
        if (k !== undefined || s.closed) return;
      }
    } finally {
      s.busy = false;
    }
  }

  async function tick(): Promise<void> {
    timer = null;
    try {
      await fetchNew();
      for (const s of clients) {
        deliver(s).catch((e: unknown) => opts.log.warn({ err: e }, 'alert stream delivery failed'));
      }
    } catch (e) {
      opts.log.warn({ err: e }, 'alert feed cannot read the store');
    }
    if (clients.size > 0) {
      timer = setTimeout(() => void tick(), pollMs);
      timer.unref();
    }
  }

  /** Finds the newest stored event once, so a client without Last-Event-ID starts at "now". */
  async function init(): Promise<void> {
    let cursor: string | null = null;
    for (;;) {
      const got = await opts.store.alertEventsAfter(cursor, batch);
      if (got.length > 0) cursor = got.at(-1)!.id;
      if (got.length < batch) break;
    }
    base = cursor;
  }

  return {
    async subscribe(client, from) {
      ready ??= init().catch((e: unknown) => {
        ready = null;
        throw e;
      });
      await ready;
      const s: ClientState = { client, cursor: from ?? newest(), busy: false, closed: false };
      clients.add(s);
      if (timer === null) {
        timer = setTimeout(() => void tick(), pollMs);
        timer.unref();
      }
      // A resuming client gets what it missed at once, not on the next tick.
      if (from !== null)
        deliver(s).catch((e: unknown) => opts.log.warn({ err: e }, 'alert stream resume failed'));
      return () => {
        s.closed = true;
        clients.delete(s);
        if (clients.size === 0 && timer !== null) {
          clearTimeout(timer);
          timer = null;
        }
      };
    },
    clients: () => clients.size,
  };
}
