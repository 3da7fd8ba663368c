/**
 * Durable writes through the client's WriteApi: each call gets its own WriteApi, so its promise resolves
 * exactly when the server has accepted (204) every one of its lines, and rejects with a StoreError once
 * the client has given up on any of them. The WriteApi still does the batching (`batchSize` lines a
 * request) and the retries with backoff.
 *
 * Why not one shared WriteApi: its flush() does not wait for batches it already sent when `batchSize`
 * filled, its retry buffer drops lines when it overflows, and close() discards what still waits
 * (influxdb-client-js issues #425 and #1017). So nothing is taken as written until the server said so,
 * and every call in flight is tracked, for flush() and close() to wait on.
 */
import { HttpError, type InfluxDB, setLogger } from '@influxdata/influxdb-client';
import { StoreError } from '../telemetry-store.js';
import { describeCause, type InfluxConnection } from './connection.js';

export interface RetryOptions {
  /** Retries after the first failure (default 3). */
  maxRetries: number;
  /** First retry delay in ms, doubled each time up to maxRetryDelayMs (defaults 200 and 2,000). */
  minRetryDelayMs: number;
  maxRetryDelayMs: number;
  /** No retry starts after this long since the write began (default 10 s). */
  maxRetryTimeMs: number;
}

/** Lines made on demand, a request's worth at a time: [from, to) of `count`. */
export interface LineSource {
  count: number;
  lines(from: number, to: number): string[];
}

export interface LineWriter {
  /** Resolves once the server accepted every line; rejects with a StoreError naming the URL and the cause. */
  write(lines: string[] | LineSource, precision: 'ms' | 'us'): Promise<void>;
  /** Resolves once every write already started has settled. */
  flush(): Promise<void>;
}

export interface LineWriterDeps {
  influx: InfluxDB;
  conn: InfluxConnection;
  /** Most lines in one request; a larger call is split into equal requests. */
  batchSize: number;
  gzipThreshold: number;
  timeoutMs: number;
  retry: RetryOptions;
  /** Where the client's own warnings go (a retry, a failed attempt); silent by default. */
  warn?: (msg: string) => void;
}

export function createLineWriter(deps: LineWriterDeps): LineWriter {
  const { influx, conn, retry } = deps;
  // The client logs through one module-wide logger; its messages are about attempts this module already
  // turns into StoreErrors, so they are demoted to warnings of the caller's choosing.
  setLogger({
    error: (msg) => deps.warn?.(msg),
    warn: (msg) => deps.warn?.(msg),
  });
  const inFlight = new Set<Promise<void>>();

  const fail = (e: Error): StoreError =>
    new StoreError(
      e instanceof HttpError
        ? `InfluxDB at ${conn.url} refused the write: ${e.statusCode} ${errorText(e)}`
        : `InfluxDB at ${conn.url} could not be written to: ${describeCause(e, deps.timeoutMs)}`,
      { cause: e },
    );

  async function write(source: LineSource, precision: 'ms' | 'us'): Promise<void> {
    const total = source.count;
    if (total === 0) return;
    // Equal requests of at most batchSize lines: 10,000 go as 4 x 2,500, not 3,000 + 3,000 + 3,000 + 1,000.
    const size = Math.ceil(total / Math.ceil(total / deps.batchSize));
    let accepted = 0;
    let settled = false;
    let resolve!: () => void;
    let reject!: (e: StoreError) => void;
    const done = new Promise<void>((ok, fail) => {
      resolve = ok;
      reject = fail;
    });
    const settle = (e?: StoreError) => {
      if (settled) return;
      settled = true;
      if (e) {
        api.dispose(); // stops retries of this call's other batches: its caller will write them again
        reject(e);
      } else resolve();
    };
    const api = influx.getWriteApi(conn.org, conn.bucket, precision, {
      batchSize: size,
      flushInterval: 0,
      gzipThreshold: deps.gzipThreshold,
      maxRetries: retry.maxRetries,
      minRetryDelay: retry.minRetryDelayMs,
      maxRetryDelay: retry.maxRetryDelayMs,
      maxRetryTime: retry.maxRetryTimeMs,
      exponentialBase: 2,
      retryJitter: 50,
      randomRetry: false,
      // Never drop lines of this call for room: the buffer holds at most the call itself.
      maxBufferLines: total + 1,
      writeSuccess(ok) {
        accepted += ok.length;
        if (accepted >= total) settle();
      },
      writeFailed(error, _lines, attempt, expires) {
        // The client retries a failed batch when this returns nothing; a promise ends it. Give up where
        // the client would (4xx other than 429, attempts or time used up), reporting instead of logging.
        const final =
          attempt > retry.maxRetries ||
          Date.now() >= expires ||
          (error instanceof HttpError && error.statusCode < 429);
        if (!final && !settled) return undefined;
        settle(fail(error));
        return Promise.resolve();
      },
      writeRetrySkipped: () =>
        settle(new StoreError(`InfluxDB at ${conn.url}: lines dropped from the retry buffer`)),
    });
    const path = conn.writePath(precision);
    if (path !== null) api.path = path;
    // A request's worth of lines at a time: the WriteApi sends each as it fills, and the next is built
    // while influxd parses that one (a turn of the event loop lets the request out first). Building the
    // lines is most of what this adds to a plain POST of them; overlapped with influxd's work it is hidden.
    for (let i = 0; i < total && !settled; i += size) {
      if (i > 0) await new Promise((r) => setImmediate(r));
      if (!settled) api.writeRecords(source.lines(i, Math.min(total, i + size)));
    }
    // Failures arrive through writeFailed; the flush promise only says a first attempt failed.
    if (!settled) api.flush().catch(() => {});
    return done;
  }

  return {
    write(lines, precision) {
      const source = Array.isArray(lines)
        ? { count: lines.length, lines: (a: number, b: number) => lines.slice(a, b) }
        : lines;
      const p = write(source, precision);
      inFlight.add(p);
      const done = () => inFlight.delete(p);
      p.then(done, done);
      return p;
    },
    async flush() {
      await Promise.allSettled([...inFlight]);
    },
  };
}

/** InfluxDB 1.x answers `{"error": "..."}`, 2.x `{"code": ..., "message": "..."}`. */
function errorText(e: HttpError): string {
  const json = e.json as { error?: unknown; message?: unknown } | undefined;
  const text = json?.error ?? json?.message ?? e.body ?? e.statusMessage ?? '';
  return String(text).trim();
}
