/**
 * WAL checkpoints on a worker thread, so they never stop the event loop.
 *
 * SQLite checkpoints by itself inside the COMMIT that takes the WAL past 1,000 pages: it copies the WAL
 * into the database and syncs both files, 10–50 ms during which a node answers no device (an alert's
 * p99 shows it). The writing connection turns that off (`wal_autocheckpoint = 0`), and a worker with a
 * connection of its own runs PASSIVE checkpoints instead, which never block the writer (WAL mode); the
 * writer resets the WAL at its next commit once a checkpoint has copied all of it
 * (https://www.sqlite.org/wal.html#checkpointing). The worker runs only while writes come (it costs
 * a V8 isolate, about 10 MB, which a node of idle devices should not carry).
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

export interface CheckpointerOptions {
  /** The database file (its WAL is `${path}-wal`). */
  path: string;
  /** How often a checkpoint runs while writes come (default 1 s: about 2 MB of WAL at 5,000 Readings/s). */
  everyMs?: number;
  /** The worker stops after this long without a write (default 60 s). */
  idleMs?: number;
  /** Told of a checkpoint that failed (the next one retries; the WAL only grows meanwhile). */
  onError?: (e: Error) => void;
  /**
   * Called once after this many checkpoints in a row have failed (default 5), and the checkpointer
   * stops: the caller turns SQLite's own checkpoints back on, so the WAL cannot grow without bound.
   */
  onGiveUp?: () => void;
  giveUpAfter?: number;
}

export interface Checkpointer {
  /** A write was committed: a checkpoint is due within `everyMs`. */
  wrote(): void;
  /** Checkpoints done so far. */
  done(): number;
  /** The worker thread is up. */
  active(): boolean;
  close(): Promise<void>;
}

// CommonJS, evaluated in the worker: one connection, a PASSIVE checkpoint per message.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma('synchronous = NORMAL');
parentPort.on('message', (m) => {
  if (m === 'close') {
    db.close();
    parentPort.close();
    return;
  }
  try {
    const [r] = db.pragma('wal_checkpoint(PASSIVE)');
    parentPort.postMessage({ ok: true, log: r.log, checkpointed: r.checkpointed });
  } catch (e) {
    parentPort.postMessage({ ok: false, error: String(e && e.message || e) });
  }
});
`;

interface Answer {
  ok: boolean;
  error?: string;
}

export function createCheckpointer(opts: CheckpointerOptions): Checkpointer {
  const everyMs = opts.everyMs ?? 1_000;
  const idleMs = opts.idleMs ?? 60_000;
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  let worker: Worker | null = null;
  let running = false;
  let dirty = false;
  let lastWrite = 0;
  let count = 0;
  let timer: NodeJS.Timeout | null = null;
  let closed = false;
  let failures = 0;

  const failed = (e: Error) => {
    opts.onError?.(e);
    if (++failures < (opts.giveUpAfter ?? 5) || closed) return;
    closed = true;
    if (timer) clearTimeout(timer);
    void stopWorker();
    opts.onGiveUp?.();
  };

  /** Lets the worker finish its checkpoint and close its connection; it is terminated if it hangs. */
  const stopWorker = async () => {
    const w = worker;
    worker = null;
    running = false;
    if (!w) return;
    const exited = new Promise<void>((resolve) => w.once('exit', () => resolve()));
    w.postMessage('close');
    const timer = setTimeout(() => void w.terminate(), 5_000);
    await exited;
    clearTimeout(timer);
  };

  const start = (): Worker => {
    const w = new Worker(WORKER, { eval: true, workerData: { driver, path: opts.path } });
    w.unref();
    w.on('message', (a: Answer) => {
      running = false;
      if (a.ok) {
        count++;
        failures = 0;
      } else failed(new Error(`WAL checkpoint failed: ${a.error}`));
    });
    w.on('error', (e) => {
      if (worker === w) {
        worker = null;
        running = false;
      }
      failed(e);
    });
    return w;
  };

  const tick = () => {
    if (closed) return;
    if (dirty && !running) {
      dirty = false;
      worker ??= start();
      running = true;
      worker.postMessage(0);
    } else if (!dirty && !running && worker && Date.now() - lastWrite > idleMs) {
      void stopWorker();
    }
    if (worker || dirty) {
      timer = setTimeout(tick, everyMs);
      timer.unref();
    } else timer = null;
  };

  return {
    wrote() {
      dirty = true;
      lastWrite = Date.now();
      if (timer === null && !closed) {
        timer = setTimeout(tick, everyMs);
        timer.unref();
      }
    },
    done: () => count,
    active: () => worker !== null,
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      await stopWorker();
    },
  };
}
