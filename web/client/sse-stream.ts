/**
 * Reads an SSE stream with fetch(), so the key travels in the Authorization header (EventSource cannot
 * send headers, and a key in the URL would end up in logs), and reconnects with Last-Event-ID itself.
 */
import { createSseParser, type SseMessage } from './sse-parser.js';

export type StreamState = 'connecting' | 'live' | 'retrying' | 'stopped';

export interface StreamOptions {
  url: string;
  headers: () => Record<string, string>;
  onMessage(m: SseMessage): void;
  onState(state: StreamState, detail?: string): void;
  /** Called after each successful (re)connection, before its first message is handled. */
  onOpen?(resumed: boolean): void;
  /** Answers that must not be retried (401, 403): the stream stops and reports them. */
  onFatal?(status: number): void;
  minDelayMs?: number;
  maxDelayMs?: number;
  /**
   * Silence after which the connection is taken for dead and reopened. The API sends a heartbeat
   * comment every 15 s, so 45 s of nothing means a half-open connection (a NAT or Wi-Fi drop) that
   * would otherwise never end.
   */
  idleTimeoutMs?: number;
}

export interface Stream {
  close(): void;
  /** Drops the current connection and reconnects at once (after the network comes back, say). */
  reconnect(): void;
  readonly lastEventId: string;
}

export function openStream(opts: StreamOptions): Stream {
  const minDelay = opts.minDelayMs ?? 1000;
  const maxDelay = opts.maxDelayMs ?? 30_000;
  const idleTimeout = opts.idleTimeoutMs ?? 45_000;
  let lastEventId = '';
  let closed = false;
  let controller: AbortController | null = null;
  let wake: (() => void) | null = null;
  let skipWait = false;
  let delay = minDelay;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wake = null;
        resolve();
      }
      wake = done;
    });

  const connectOnce = async (): Promise<{ fatal?: number; retryMs?: number }> => {
    controller = new AbortController();
    const headers: Record<string, string> = { accept: 'text/event-stream', ...opts.headers() };
    if (lastEventId) headers['last-event-id'] = lastEventId;
    const res = await fetch(opts.url, { headers, signal: controller.signal, cache: 'no-store' });
    if (res.status === 401 || res.status === 403) return { fatal: res.status };
    if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
    // A connection that opened resets the backoff, even if it later drops mid-stream.
    delay = minDelay;
    opts.onState('live');
    opts.onOpen?.(lastEventId !== '');
    const parser = createSseParser((m) => {
      lastEventId = m.lastEventId;
      opts.onMessage(m);
    }, lastEventId);
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    const abort = controller;
    let idle = setTimeout(() => abort.abort(), idleTimeout);
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        clearTimeout(idle);
        idle = setTimeout(() => abort.abort(), idleTimeout);
        parser.push(value);
      }
    } finally {
      clearTimeout(idle);
    }
    return { retryMs: parser.retryMs };
  };

  const run = async () => {
    opts.onState('connecting');
    while (!closed) {
      let wait = minDelay;
      let why: string | undefined;
      try {
        const r = await connectOnce();
        if (r.fatal !== undefined) {
          closed = true;
          opts.onState('stopped', `HTTP ${r.fatal}`);
          opts.onFatal?.(r.fatal);
          return;
        }
        // The server ended the stream: come back after its retry time (or the minimum), not the backoff.
        wait = r.retryMs ?? minDelay;
      } catch (e) {
        if (closed) return;
        why = e instanceof Error ? e.message : String(e);
        wait = delay;
        delay = Math.min(delay * 2, maxDelay);
      }
      if (closed) return;
      opts.onState('retrying', why);
      if (skipWait) {
        skipWait = false;
        wait = 0;
      }
      // Jitter spreads the reconnections of many boards after the server restarts.
      await sleep(wait * (0.75 + Math.random() * 0.5));
      if (!closed) opts.onState('connecting');
    }
  };
  void run();

  return {
    close() {
      closed = true;
      controller?.abort();
      wake?.();
    },
    reconnect() {
      skipWait = true;
      controller?.abort();
      wake?.();
    },
    get lastEventId() {
      return lastEventId;
    },
  };
}
