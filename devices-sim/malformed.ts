/** Broken telemetry of every kind CONTRACT §3 says ingest must reject without stopping: one per call, in turn. */
import type { Reading } from '../core/reading.js';
import type { DeviceInfo } from '../core/registry.js';

/** 2100-01-01T00:00:00Z: a clock that has lost its battery-backed date. */
const FAR_FUTURE = 4_102_444_800_000;

export const MALFORMED_VARIANTS = [
  'truncated JSON',
  'unknown metric',
  'out of physical range',
  'timestamp not a time',
  'timestamp in the future',
  'batch over 1000 readings',
  'payload over 64 KiB',
  'metric not declared for the device',
  'value not a number',
] as const;

/** The `n`-th malformed payload (cycling through the variants), built around a real reading. */
export function malformedPayload(n: number, reading: Reading, device: DeviceInfo): string {
  const metric = device.metrics[0]!;
  const undeclared =
    (['pressure', 'ph', 'level', 'flow'] as const).find((m) => !device.metricSet.has(m)) ?? 'salinity';
  const json = (x: unknown) => JSON.stringify(x);
  switch (n % MALFORMED_VARIANTS.length) {
    case 0:
      return json(reading).slice(0, -7);
    case 1:
      return json({ ts: reading.ts, values: { salinity: 3.2 } });
    case 2:
      return json({ ts: reading.ts, values: { [metric]: -1e6 } });
    case 3:
      return json({ ts: 'yesterday', values: reading.values });
    case 4:
      return json({ ts: FAR_FUTURE, values: reading.values });
    case 5:
      return json(
        Array.from({ length: 1001 }, (_, i) => ({
          ts: Number(reading.ts) - i * 1000,
          values: { [metric]: 0.5 },
        })),
      );
    case 6:
      return json({ ts: reading.ts, values: reading.values, note: 'x'.repeat(70 * 1024) });
    case 7:
      return json({ ts: reading.ts, values: { [undeclared]: 1 } });
    default:
      return json({ ts: reading.ts, values: { [metric]: 'high' } });
  }
}
