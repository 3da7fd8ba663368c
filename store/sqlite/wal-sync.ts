/**
 * Durable commits without blocking the event loop. With `synchronous = FULL`, SQLite syncs the WAL inside
 * every COMMIT, on the thread that runs it: ingest's thread, which stalled for the fsync while alerts and
 * PUBACKs waited (a quarter of its time under load, profiled). Instead the store commits with
 * `synchronous = NORMAL` (in WAL mode: no sync at commit; the WAL is synced before each checkpoint and
 * the database after it, SQLite's PRAGMA synchronous documentation) and then has the WAL file
 * fdatasync'd on libuv's thread pool before the write's promise settles: the same guarantee as FULL (the
 * commit's frames are on disk before anyone is told it is written), off the event loop, and one sync
 * serves every commit made before it started (group commit).
 */
import { type FileHandle, open } from 'node:fs/promises';

/**
 * Flushes the file at `path` to disk (fdatasync). The file stays open between syncs (opening it each time
 * cost more than the sync's own call here): the store's connection keeps the WAL's inode in place, and
 * SQLite removes the file only when the last connection closes, after checkpointing it. A file that is
 * not there has nothing unsynced.
 */
export function datasyncFile(path: string): { sync: () => Promise<void>; close: () => Promise<void> } {
  let file: FileHandle | null = null;
  return {
    async sync() {
      if (file === null) {
        try {
          file = await open(path, 'r+');
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
          throw e;
        }
      }
      await file.datasync();
    },
    async close() {
      const f = file;
      file = null;
      await f?.close();
    },
  };
}

/**
 * Coalesces requests for a sync: a request resolves once a sync that *started after it* has finished.
 * While one sync runs, every new request waits for the next one, which starts as soon as the running one
 * ends: a sync already under way may have begun before the caller's commit was written.
 */
export function createGroupSync(sync: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | null = null;
  let next: Promise<void> | null = null;
  const request = (): Promise<void> => {
    if (running === null) {
      const run = sync().finally(() => {
        if (running === run) running = null;
      });
      running = run;
      return run;
    }
    next ??= running
      .catch(() => {})
      .then(() => {
        next = null;
        return request();
      });
    return next;
  };
  return request;
}
