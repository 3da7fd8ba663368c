/** Ingest's own environment: defaults, and every bad variable named at once. */
import { describe, expect, it } from 'vitest';
import { parseIngestConfig } from '../../ingest/ingest-config.js';

describe('parseIngestConfig', () => {
  it('has its documented defaults, with the metrics port off unless set', () => {
    expect(parseIngestConfig({})).toEqual({
      ok: true,
      value: {
        spoolMaxBytes: 256 * 1024 * 1024,
        highWater: 20_000,
        writeTimeoutMs: 5_000,
        metricsPort: null,
        staleClock: 'wall',
      },
    });
    const on = parseIngestConfig({ INGEST_METRICS_PORT: '0', INGEST_SPOOL_MAX_MB: '0.5' });
    expect(on.ok && [on.value.metricsPort, on.value.spoolMaxBytes]).toEqual([0, 512 * 1024]);
  });

  it('lists every bad variable with what was given', () => {
    const r = parseIngestConfig({
      INGEST_HIGH_WATER: 'x',
      INGEST_WRITE_TIMEOUT_MS: '5',
      INGEST_METRICS_PORT: '1.5',
      INGEST_STALE_CLOCK: 'sim',
    });
    expect(r.ok ? [] : r.issues.map((i) => `${i.path}: ${i.message}`)).toEqual([
      'INGEST_HIGH_WATER: INGEST_HIGH_WATER must be an integer 1–10000000, got "x"',
      'INGEST_WRITE_TIMEOUT_MS: INGEST_WRITE_TIMEOUT_MS must be an integer 10–600000, got "5"',
      'INGEST_METRICS_PORT: INGEST_METRICS_PORT must be an integer 0–65535, got "1.5"',
      'INGEST_STALE_CLOCK: INGEST_STALE_CLOCK must be wall or readings, got "sim"',
    ]);
  });
});
