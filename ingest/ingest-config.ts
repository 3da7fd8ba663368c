/** Ingest's own settings from the environment, parsed once with every problem reported together. */
import { z } from 'zod';
import { err, ok, type Result } from '../core/result.js';

export interface IngestConfig {
  /** INGEST_SPOOL_MAX_MB (default 256): bound of the on-disk spool used while the store is down. */
  spoolMaxBytes: number;
  /** INGEST_HIGH_WATER (default 20000): Readings in memory, not yet durable, beyond which ingest stops reading. */
  highWater: number;
  /** INGEST_WRITE_TIMEOUT_MS (default 5000): a slower store write is spooled instead. */
  writeTimeoutMs: number;
  /** INGEST_METRICS_PORT: serve GET /metrics (Prometheus) on this port; unset = off. */
  metricsPort: number | null;
  /**
   * INGEST_STALE_CLOCK (default wall): `readings` counts `stale` silence on the Readings' own time, so a
   * simulator replay at speed is judged on simulated time (the simulator's `--stale-clock readings`).
   */
  staleClock: 'wall' | 'readings';
}

type Env = Readonly<Record<string, string | undefined>>;

/** A number in [min, max] from the environment; unset or empty = the default. */
const envNumber = (name: string, fallback: number, min: number, max: number, integer = true) =>
  z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined || raw === '') return fallback;
      const n = Number(raw);
      if (!Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
        ctx.addIssue({
          code: 'custom',
          message: `${name} must be ${integer ? 'an integer' : 'a number'} ${min}–${max}, got "${raw}"`,
        });
      }
      return n;
    });

/** Ingest's environment, every variable checked and every problem listed (CONVENTIONS 6). */
const IngestEnv = z.object({
  INGEST_SPOOL_MAX_MB: envNumber('INGEST_SPOOL_MAX_MB', 256, 0.001, 1_000_000, false),
  INGEST_HIGH_WATER: envNumber('INGEST_HIGH_WATER', 20_000, 1, 10_000_000),
  INGEST_WRITE_TIMEOUT_MS: envNumber('INGEST_WRITE_TIMEOUT_MS', 5_000, 10, 600_000),
  INGEST_METRICS_PORT: envNumber('INGEST_METRICS_PORT', -1, 0, 65_535),
  INGEST_STALE_CLOCK: z
    .string()
    .optional()
    .refine((v) => v === undefined || v === '' || v === 'wall' || v === 'readings', {
      error: (i) => `INGEST_STALE_CLOCK must be wall or readings, got "${String(i.input)}"`,
    }),
});

export function parseIngestConfig(env: Env): Result<IngestConfig> {
  const r = IngestEnv.safeParse(env);
  if (!r.success) return err(r.error.issues.map((i) => ({ path: String(i.path[0]), message: i.message })));
  const e = r.data;
  return ok({
    spoolMaxBytes: Math.round(e.INGEST_SPOOL_MAX_MB * 1024 * 1024),
    highWater: e.INGEST_HIGH_WATER,
    writeTimeoutMs: e.INGEST_WRITE_TIMEOUT_MS,
    metricsPort: e.INGEST_METRICS_PORT < 0 ? null : e.INGEST_METRICS_PORT,
    staleClock: e.INGEST_STALE_CLOCK === 'readings' ? 'readings' : 'wall',
  });
}
