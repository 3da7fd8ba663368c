/**
 * One poll loop per app (one app per process) tails the store's alert events and fans them out to stream clients. Tailing the
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
  /** Polls of the store run so far (each reads what is new once, for every client). */
  polls(): number;
  /**
   * Events were just stored by this process: read them now rather than at the next poll (the poll stays
   * for events written by other processes). Never starts a second poll beside a running one.
   */
  wake(): void;
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

/** Stored event ids are decimal integers (TelemetryStore.latestAlertEventId); anything else is not ours. */
const isEventId = (id: string) => /^\d{1,30}$/.test(id);

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
  // The loop is idle, waiting on its timer, or polling: never two at once, however clients come and go.
  let loop: 'idle' | 'waiting' | 'polling' = 'idle';
  /** Woken during a poll: poll again as soon as it ends, for what was stored meanwhile. */
  let again = false;
  let timer: NodeJS.Timeout | null = null;
  let polls = 0;

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

  /** Starts the wait for the next poll, unless one is already waiting or polling, or nobody listens. */
  function schedule(): void {
    if (loop !== 'idle' || clients.size === 0) return;
    loop = 'waiting';
    timer = setTimeout(() => void tick(), pollMs);
    timer.unref();
  }

  async function tick(): Promise<void> {
    loop = 'polling';
    timer = null;
    polls++;
    try {
      await fetchNew();
      for (const s of clients) {
        deliver(s).catch((e: unknown) => opts.log.warn({ err: e }, 'alert stream delivery failed'));
      }
    } catch (e) {
      opts.log.warn({ err: e }, 'alert feed cannot read the store');
    } finally {
      loop = 'idle';
      if (again && clients.size > 0) {
        again = false;
        void tick();
      } else schedule();
    }
  }

  /** Where a client that does not resume starts: the newest stored event, asked once (no scan of the log). */
  async function init(): Promise<void> {
    base = await opts.store.latestAlertEventId();
  }

  /**
   * Where a client resuming after `from` starts. An id past the newest stored event (another server's,
   * or from before the store was replaced) would otherwise wait for the log to grow past it, delivering
   * nothing meanwhile: such a client starts now instead.
   */
  async function resumeAt(from: string): Promise<string | null> {
    if (!isEventId(from)) return newest();
    if (indexOf.has(from) || from === base) return from;
    const latest = await opts.store.latestAlertEventId();
    if (latest === null || BigInt(from) > BigInt(latest)) return latest ?? newest();
    return from;
  }

  return {
    wake() {
      if (clients.size === 0) return;
      if (loop === 'polling') {
        again = true;
        return;
      }
      if (timer !== null) clearTimeout(timer);
      timer = null;
      void tick();
    },
    async subscribe(client, from) {
      ready ??= init().catch((e: unknown) => {
        ready = null;
        throw e;
      });
      await ready;
      const cursor = from === null ? newest() : await resumeAt(from);
      const s: ClientState = { client, cursor, busy: false, closed: false };
      clients.add(s);
      schedule();
      // A resuming client gets what it missed at once, not on the next tick.
      if (from !== null)
        deliver(s).catch((e: unknown) => opts.log.warn({ err: e }, 'alert stream resume failed'));
      return () => {
        s.closed = true;
        clients.delete(s);
        if (clients.size === 0 && loop === 'waiting' && timer !== null) {
          clearTimeout(timer);
          timer = null;
          loop = 'idle';
        }
      };
    },
    clients: () => clients.size,
    polls: () => polls,
  };
}
