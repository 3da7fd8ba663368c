/** Ingest's own settings from the environment, parsed once with every problem reported together. */
import { err, type Issue, ok, type Result } from '../core/result.js';

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
   * INGEST_STALE_CLOCK (default `wall`): what `stale` counts silence on. `readings` makes it follow the
   * newest Reading's own ts, the simulated time of a replay (`npm run sim -- --start … --speed …
   * --stale-clock readings` says so in its ground truth), so replayed scores compare with live ones.
   * Never in production: if every device fell silent, a clock driven by Readings would stop.
   */
  staleClock: 'wall' | 'readings';
}

type Env = Readonly<Record<string, string | undefined>>;

export function parseIngestConfig(env: Env): Result<IngestConfig> {
  const issues: Issue[] = [];
  const num = (name: string, fallback: number, min: number, max: number, integer = true): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
      issues.push({
        path: name,
        message: `${name} must be ${integer ? 'an integer' : 'a number'} ${min}–${max}, got "${raw}"`,
      });
    }
    return n;
  };
  const config: IngestConfig = {
    spoolMaxBytes: Math.round(num('INGEST_SPOOL_MAX_MB', 256, 0.001, 1_000_000, false) * 1024 * 1024),
    highWater: num('INGEST_HIGH_WATER', 20_000, 1, 10_000_000),
    writeTimeoutMs: num('INGEST_WRITE_TIMEOUT_MS', 5_000, 10, 600_000),
    metricsPort: env.INGEST_METRICS_PORT ? num('INGEST_METRICS_PORT', 0, 0, 65_535) : null,
    staleClock: env.INGEST_STALE_CLOCK === 'readings' ? 'readings' : 'wall',
  };
  if (env.INGEST_STALE_CLOCK && !['wall', 'readings'].includes(env.INGEST_STALE_CLOCK))
    issues.push({
      path: 'INGEST_STALE_CLOCK',
      message: `INGEST_STALE_CLOCK must be wall or readings, got "${env.INGEST_STALE_CLOCK}"`,
    });
  return issues.length > 0 ? err(issues) : ok(config);
}
