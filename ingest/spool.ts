/** The on-disk spool: Readings and AlertEvents made durable while the store is away, replayed in order when it is back. */
import { existsSync } from 'node:fs';
import { type FileHandle, mkdir, open } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { AlertEvent } from '../core/alert.js';
import type { StoredReading } from '../core/stored-reading.js';

/** One flushed batch: what one store write would have carried. */
export interface SpoolRecord {
  readings: StoredReading[];
  events: AlertEvent[];
}

export interface SpooledRecord {
  record: SpoolRecord;
  /** File offset just past this record. */
  end: number;
}

export interface Spool {
  /** Bytes on disk (replayed ones included until the spool is cleared). */
  bytes(): number;
  /** Records appended and not yet replayed. */
  pending(): number;
  isEmpty(): boolean;
  /** Appends and fsyncs: when it resolves the record survives a crash. Throws SpoolFullError at the bound. */
  append(record: SpoolRecord): Promise<void>;
  /** The next records not yet replayed, oldest first, up to about `maxReadings` Readings and `maxRecords` records. */
  peek(maxReadings: number, maxRecords?: number): Promise<SpooledRecord[]>;
  /** Marks everything up to `end` replayed; once all is, the file is truncated. */
  commit(end: number, records: number): Promise<void>;
  close(): Promise<void>;
}

/** The spool would exceed its bound: the caller must stop acknowledging (backpressure) until it drains. */
export class SpoolFullError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SpoolFullError';
  }
}

/** A spool append that did not complete; nothing of it remains in the file. */
export class SpoolWriteError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SpoolWriteError';
  }
}

/** The spool's writes, replaceable to inject a failing disk in tests. */
export interface SpoolIo {
  writeAt?: (buf: Buffer, at: number) => Promise<{ bytesWritten: number }>;
  /**
   * Once everything is replayed, the file is emptied only when it holds at least this many bytes
   * (default 0: every time). A busy journal then does not truncate and sync after each copy, which
   * its appends would queue behind; what stays is replayed again after a crash, and replays are idempotent.
   */
  truncateAtBytes?: number;
}

const NL = 0x0a;
const READ_CHUNK = 1 << 20;

/**
 * One JSON line per record, appended and fdatasync'd before the caller acknowledges anything. A crash
 * can only tear the last line (it was never acknowledged, so the broker redelivers it); opening the
 * spool drops a torn tail. The read position is kept in memory only: after a crash replay starts from
 * the beginning again, which is harmless because store writes are idempotent (same device and ts, same
 * alert id, type and time).
 */
export async function openSpool(path: string, maxBytes: number, io: SpoolIo = {}): Promise<Spool> {
  await mkdir(dirname(path), { recursive: true });
  // Not 'a' (append) mode: each record is written at the end this spool knows, so a failed write can be
  // cut off again and the next record starts on a clean line boundary.
  const fh = await open(path, existsSync(path) ? 'r+' : 'w+');
  const writeAt = io.writeAt ?? ((buf: Buffer, at: number) => fh.write(buf, 0, buf.length, at));
  const { size, records } = await scan(fh);
  const actual = (await fh.stat()).size;
  if (actual !== size) await fh.truncate(size);
  let end = size;
  let readAt = 0;
  let unreplayed = records;

  return {
    bytes: () => end,
    pending: () => unreplayed,
    isEmpty: () => unreplayed === 0,
    async append(record) {
      const line = Buffer.from(`${JSON.stringify(record)}\n`);
      if (end + line.length > maxBytes) {
        throw new SpoolFullError(`spool ${path} would exceed ${maxBytes} bytes (holds ${end})`);
      }
      try {
        const { bytesWritten } = await writeAt(line, end);
        if (bytesWritten !== line.length) {
          throw new Error(`short write to ${path}: ${bytesWritten} of ${line.length} bytes`);
        }
        await fh.datasync();
      } catch (e) {
        // Disk full or a failing device: roll the partial record back so the spool stays whole, and let
        // the caller withhold the PUBACK (the device will send the Reading again).
        await fh.truncate(end).catch(() => {});
        throw new SpoolWriteError(`spool append failed: ${(e as Error).message}`, { cause: e });
      }
      end += line.length;
      unreplayed++;
    },
    async peek(maxReadings, maxRecords = Number.POSITIVE_INFINITY) {
      const out: SpooledRecord[] = [];
      let at = readAt;
      let readings = 0;
      while (at < end && (out.length === 0 || (readings < maxReadings && out.length < maxRecords))) {
        const line = await readLine(fh, at, end);
        if (line === null) break;
        const record = JSON.parse(line.text) as SpoolRecord;
        out.push({ record, end: line.end });
        readings += record.readings.length;
        at = line.end;
      }
      return out;
    },
    async commit(upTo, n) {
      readAt = upTo;
      unreplayed = Math.max(0, unreplayed - n);
      if (readAt >= end && end >= (io.truncateAtBytes ?? 0)) {
        await fh.truncate(0);
        await fh.datasync();
        end = 0;
        readAt = 0;
        unreplayed = 0;
      }
    },
    close: () => fh.close(),
  };
}

/** The length of the valid prefix and its record count; a torn or unreadable tail is left out. */
async function scan(fh: FileHandle): Promise<{ size: number; records: number }> {
  const total = (await fh.stat()).size;
  let at = 0;
  let records = 0;
  while (at < total) {
    const line = await readLine(fh, at, total);
    if (line === null) break;
    try {
      JSON.parse(line.text);
    } catch {
      break;
    }
    records++;
    at = line.end;
  }
  return { size: at, records };
}

/** The line starting at `at`, or null when no complete line (ending in a newline) starts there. */
async function readLine(
  fh: FileHandle,
  at: number,
  limit: number,
): Promise<{ text: string; end: number } | null> {
  let size = Math.min(READ_CHUNK, limit - at);
  for (;;) {
    const buf = Buffer.allocUnsafe(size);
    const { bytesRead } = await fh.read(buf, 0, size, at);
    const nl = buf.subarray(0, bytesRead).indexOf(NL);
    if (nl >= 0) return { text: buf.toString('utf8', 0, nl), end: at + nl + 1 };
    if (at + bytesRead >= limit || bytesRead < size) return null;
    size = Math.min(size * 2, limit - at);
  }
}
