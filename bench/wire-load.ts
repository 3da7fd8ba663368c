/**
 * The paced background load on bare MQTT framing (broker-wire.ts) rather than an mqtt.js client per
 * device: on two shared cores, 1,000 full clients publishing 5,000 Readings/s took CPU from the very
 * system being timed. Same pacing and per-device window as `paced` in ingest-load.ts.
 */
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { topics } from '../core/topics.js';
import { openSession, publishQos1 } from './broker-wire.js';
import { healthy } from './ingest-load.js';
import { benchToken } from './ingest-registry.js';

const PUBACK = 4;

interface WireDevice {
  id: string;
  topic: Buffer;
  socket: Socket;
  inflight: number;
  nextId: number;
}

/** Connects the devices, `parallel` handshakes at a time. */
export async function connectWire(
  url: string,
  ids: readonly string[],
  parallel = 200,
): Promise<WireDevice[]> {
  const port = Number(new URL(url).port);
  const out: WireDevice[] = [];
  for (let i = 0; i < ids.length; i += parallel) {
    const batch = ids.slice(i, i + parallel).map(async (id) => {
      const d: WireDevice = {
        id,
        topic: Buffer.from(topics.telemetry(id)),
        socket: null as never,
        inflight: 0,
        nextId: 0,
      };
      d.socket = await openSession(
        port,
        { clientId: id, username: id, password: benchToken(id) },
        (header) => {
          if (header >> 4 === PUBACK) d.inflight--;
        },
      );
      return d;
    });
    out.push(...(await Promise.all(batch)));
  }
  return out;
}

/** Publishes at `rate` Readings/s over the devices, each holding at most `window` unacknowledged. */
export function pacedWire(devices: WireDevice[], rate: number, window: number) {
  let n = 0;
  let turn = 0;
  let carry = 0;
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    // At most a second's worth at once: a stalled timer does not turn into a burst.
    carry = Math.min(carry + ((now - last) * rate) / 1000, rate);
    last = now;
    for (let tries = 0; carry >= 1 && tries < devices.length; tries++) {
      const d = devices[turn++ % devices.length]!;
      if (d.inflight >= window) continue;
      carry--;
      n++;
      d.inflight++;
      d.nextId = (d.nextId % 65535) + 1; // packet ids 1..65535 (MQTT 3.1.1 §2.3.1)
      d.socket.write(publishQos1(d.topic, d.nextId, Buffer.from(healthy(d.id))));
    }
  }, 5);
  return {
    published: () => n,
    stop() {
      clearInterval(timer);
      for (const d of devices) d.socket.destroy();
    },
  };
}
