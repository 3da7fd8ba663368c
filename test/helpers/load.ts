/** A steady QoS 1 load from real device connections, remembering which Readings the broker acknowledged. */
import type { MqttClient } from 'mqtt';
import type { Reading } from '../../core/reading.js';
import { topics } from '../../core/topics.js';

export interface Load {
  /** `ts` of every Reading the broker acknowledged (PUBACK to the device), per device. */
  acked: Map<string, number[]>;
  /** Total acknowledged. */
  count(): number;
  /** Stops publishing and waits for the acknowledgements still due. */
  stop(): Promise<void>;
}

export interface LoadOptions {
  /** Messages per second over all devices. */
  rate: number;
  /** The Reading a device sends as its i-th message (its ts must be unique per device). */
  reading: (deviceId: string, i: number) => Reading;
}

export function startLoad(devices: ReadonlyMap<string, MqttClient>, opts: LoadOptions): Load {
  const acked = new Map<string, number[]>([...devices.keys()].map((id) => [id, []]));
  const next = new Map<string, number>([...devices.keys()].map((id) => [id, 0]));
  const ids = [...devices.keys()];
  let inflight = 0;
  let total = 0;
  let turn = 0;
  const tickMs = 10;
  let carry = 0;
  const timer = setInterval(() => {
    carry += (opts.rate * tickMs) / 1000;
    for (; carry >= 1; carry--) {
      const id = ids[turn++ % ids.length]!;
      const i = next.get(id)!;
      next.set(id, i + 1);
      const r = opts.reading(id, i);
      inflight++;
      devices.get(id)!.publish(topics.telemetry(id), JSON.stringify(r), { qos: 1 }, (e) => {
        inflight--;
        if (!e) {
          acked.get(id)!.push(r.ts as number);
          total++;
        }
      });
    }
  }, tickMs);
  return {
    acked,
    count: () => total,
    async stop() {
      clearInterval(timer);
      const deadline = Date.now() + 30_000;
      while (inflight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    },
  };
}
