/** The Reading a device publishes, and its validation against the contract and the device's declaration. */
import { z } from 'zod';
import { isMetric, METRICS, type Metric } from './metrics.js';
import { parseRfc3339 } from './time.js';

/** CONTRACT §3 limits on one telemetry message. */
export const MAX_PAYLOAD_BYTES = 64 * 1024;
export const MAX_BATCH = 1000;
/** A device clock up to 5 minutes fast is tolerated; more is a broken clock (CONTRACT §3). */
export const MAX_FUTURE_MS = 5 * 60_000;
/** Older than 30 days is refused: beyond any store-and-forward buffer a device should hold. */
export const MAX_AGE_MS = 30 * 86_400_000;

/** The wire shape, for documentation (OpenAPI, README). Validation below gives finer messages. */
export const Reading = z.strictObject({
  ts: z.union([z.number().int().nonnegative(), z.string()]),
  seq: z.number().int().nonnegative().optional(),
  values: z.record(z.string(), z.number()),
});
export type Reading = z.infer<typeof Reading>;

/** A Reading that passed validation: time in epoch ms, only declared metrics. */
export interface ValidReading {
  ts: number;
  seq?: number;
  values: Partial<Record<Metric, number>>;
}

/** One rejected Reading or message, as published on `wl/v1/{id}/errors`. */
export interface Rejection {
  reason: RejectReason;
  error: string;
  path?: string;
  seq?: number;
  ts?: number | string;
}

export type RejectReason =
  | 'too-large'
  | 'not-json'
  | 'bad-shape'
  | 'batch-too-large'
  | 'unknown-metric'
  | 'undeclared-metric'
  | 'bad-value'
  | 'out-of-range'
  | 'bad-ts'
  | 'future-ts'
  | 'old-ts';

export interface ValidationContext {
  /** Metrics the registry declares for this device. */
  metrics: ReadonlySet<Metric>;
  /** Now, epoch ms: the receiving clock judges future and stale timestamps. */
  now: number;
}

export interface Validated {
  readings: ValidReading[];
  rejections: Rejection[];
}

/** Judges one telemetry payload: valid Readings are kept, each bad one becomes a Rejection. */
export function validateTelemetry(payload: Uint8Array | string, ctx: ValidationContext): Validated {
  const bytes = typeof payload === 'string' ? Buffer.byteLength(payload) : payload.byteLength;
  if (bytes > MAX_PAYLOAD_BYTES) {
    return whole('too-large', `payload is ${bytes} bytes; the limit is ${MAX_PAYLOAD_BYTES} (64 KiB)`);
  }
  let data: unknown;
  try {
    // A view on the payload's bytes, not a copy: this runs for every message ingest receives.
    const text =
      typeof payload === 'string'
        ? payload
        : Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString('utf8');
    data = JSON.parse(text);
  } catch (e) {
    return whole('not-json', `payload is not JSON: ${(e as Error).message}`);
  }
  if (Array.isArray(data)) {
    if (data.length > MAX_BATCH) {
      return whole('batch-too-large', `batch has ${data.length} Readings; the limit is ${MAX_BATCH}`);
    }
    const out: Validated = { readings: [], rejections: [] };
    data.forEach((item, i) => {
      const r = checkReading(item, ctx, `[${i}]`);
      if ('reason' in r) out.rejections.push(r);
      else out.readings.push(r);
    });
    return out;
  }
  const r = checkReading(data, ctx, '');
  return 'reason' in r ? { readings: [], rejections: [r] } : { readings: [r], rejections: [] };
}

function whole(reason: RejectReason, error: string): Validated {
  return { readings: [], rejections: [{ reason, error }] };
}

const join = (prefix: string, key: string) => (prefix ? `${prefix}.${key}` : key);

/** A Rejection of the Reading at `at` (its index in an array, or '') for a problem at `key`. */
function rejection(
  reason: RejectReason,
  error: string,
  at: string,
  key: string | undefined,
  seq: number | undefined,
  ts: number | string | undefined,
): Rejection {
  const path = key === undefined ? at || undefined : join(at, key);
  return { reason, error, path, seq, ts };
}

function checkReading(item: unknown, ctx: ValidationContext, at: string): ValidReading | Rejection {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    return {
      reason: 'bad-shape',
      error: 'expected a Reading object {ts, seq?, values}',
      path: at || undefined,
    };
  }
  const o = item as Record<string, unknown>;
  const seq = Number.isInteger(o.seq) && (o.seq as number) >= 0 ? (o.seq as number) : undefined;
  const rawTs = typeof o.ts === 'number' || typeof o.ts === 'string' ? o.ts : undefined;
  for (const key of Object.keys(o)) {
    if (key !== 'ts' && key !== 'seq' && key !== 'values') {
      return rejection(
        'bad-shape',
        `unexpected field "${key}"; a Reading has ts, seq and values`,
        at,
        key,
        seq,
        rawTs,
      );
    }
  }
  if (o.seq !== undefined && seq === undefined) {
    return rejection('bad-shape', 'seq must be an integer >= 0', at, 'seq', seq, rawTs);
  }

  let ts: number;
  if (typeof o.ts === 'number') {
    if (!Number.isSafeInteger(o.ts) || o.ts < 0) {
      return rejection('bad-ts', 'ts must be an integer of epoch milliseconds', at, 'ts', seq, rawTs);
    }
    ts = o.ts;
  } else if (typeof o.ts === 'string') {
    const parsed = parseRfc3339(o.ts);
    if (parsed === null) {
      return rejection(
        'bad-ts',
        'ts must be an RFC 3339 date-time with an offset, e.g. 2026-05-01T08:00:00+08:00',
        at,
        'ts',
        seq,
        rawTs,
      );
    }
    ts = parsed;
  } else {
    return rejection(
      'bad-ts',
      o.ts === undefined ? 'ts is required' : 'ts must be epoch ms or an RFC 3339 string',
      at,
      'ts',
      seq,
      rawTs,
    );
  }
  if (ts > ctx.now + MAX_FUTURE_MS) {
    return rejection(
      'future-ts',
      `ts is ${Math.round((ts - ctx.now) / 1000)} s in the future; at most 300 s is allowed`,
      at,
      'ts',
      seq,
      rawTs,
    );
  }
  if (ts < ctx.now - MAX_AGE_MS) {
    return rejection('old-ts', 'ts is more than 30 days old', at, 'ts', seq, rawTs);
  }

  const values = o.values;
  if (typeof values !== 'object' || values === null || Array.isArray(values)) {
    return rejection('bad-shape', 'values must be an object of metric: number', at, 'values', seq, rawTs);
  }
  const entries = Object.entries(values);
  if (entries.length === 0) return rejection('bad-shape', 'values names no metric', at, 'values', seq, rawTs);
  const out: Partial<Record<Metric, number>> = {};
  for (const [name, value] of entries) {
    const path = `values.${name}`;
    if (!isMetric(name)) return rejection('unknown-metric', `unknown metric "${name}"`, at, path, seq, rawTs);
    if (!ctx.metrics.has(name)) {
      return rejection(
        'undeclared-metric',
        `metric "${name}" is not declared for this device`,
        at,
        path,
        seq,
        rawTs,
      );
    }
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      return rejection('bad-value', `${name} must be a finite number`, at, path, seq, rawTs);
    }
    const range = METRICS[name];
    if (value < range.min || value > range.max) {
      return rejection(
        'out-of-range',
        `${name} ${value} is outside the physically possible ${range.min}–${range.max} ${range.unit}`,
        at,
        path,
        seq,
        rawTs,
      );
    }
    out[name] = value;
  }
  return seq === undefined ? { ts, values: out } : { ts, seq, values: out };
}
