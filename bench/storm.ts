/** The reconnect storm: a county's devices back after an outage at once, each flushing the Readings it buffered. */
import { performance } from 'node:perf_hooks';
import { topics } from '../core/topics.js';
import { procRss } from './broker-processes.js';
import { closeAll, connectDevices } from './ingest-load.js';
import { until } from './ingest-processes.js';

/** Readings per message: a device flushing its buffer sends arrays (CONTRACT §3 allows up to 1,000). */
const PER_MESSAGE = 100;
/** Messages in flight per device, as a device library with a small outgoing window would have. */
const WINDOW = 2;

export interface StormResult {
  seconds: number;
  connectSeconds: number;
  perSecond: number;
  peakRss: number;
}

/**
 * Every device connects at the same moment and sends `each` Readings in arrays of PER_MESSAGE at QoS 1;
 * timed from the first CONNECT to the last Reading stored, with the pipeline process's RSS sampled.
 */
export async function stormFlush(
  url: string,
  ids: readonly string[],
  each: number,
  stored: () => Promise<number>,
  pid: number,
): Promise<StormResult> {
  const before = await stored();
  let peakRss = 0;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, procRss(pid));
  }, 200);
  const t0 = performance.now();
  const devices = await connectDevices(url, ids);
  const connectSeconds = (performance.now() - t0) / 1000;
  const batches = Math.ceil(each / PER_MESSAGE);
  const outageStart = Date.now() - each * 1000 - 60_000;
  await Promise.all(
    [...devices].map(
      ([id, c]) =>
        new Promise<void>((resolve) => {
          let sent = 0;
          let acked = 0;
          const pump = () => {
            while (sent < batches && sent - acked < WINDOW) {
              const first = sent * PER_MESSAGE;
              sent++;
              // One Reading a second through the outage, oldest first.
              const payload = Array.from({ length: PER_MESSAGE }, (_, k) => ({
                ts: outageStart + (first + k) * 1000,
                values: { chlorine: 0.4 + (k % 10) / 100, pressure: 0.3 },
              }));
              c.publish(topics.telemetry(id), JSON.stringify(payload), { qos: 1 }, () => {
                acked++;
                if (acked === batches) resolve();
                else pump();
              });
            }
          };
          pump();
        }),
    ),
  );
  const total = ids.length * batches * PER_MESSAGE;
  await until(async () => (await stored()) >= before + total, 'the storm stored', 600_000);
  const seconds = (performance.now() - t0) / 1000;
  clearInterval(sampler);
  await closeAll(devices);
  return { seconds, connectSeconds, perSecond: total / seconds, peakRss };
}
