/** Benchmark workloads: QoS 1 telemetry from many devices to one ingest subscriber, and idle connections. */
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { type Credentials, openSession, puback, publishQos1, subscribePacket } from './broker-wire.js';

export interface LoadTarget {
  port: number;
  device(i: number): Credentials & { deviceId: string };
  subscriber: Credentials;
}

export interface ThroughputOptions {
  devices: number;
  /** QoS 1 messages each device keeps in flight (sent, not yet PUBACKed): as fast as the broker goes. */
  window: number;
  /** Instead of saturating: messages per second per device, paced (still at most `window` in flight). */
  perDeviceRate?: number;
  /** The subscriber keeps a persistent session (clean = false), as ingest does. */
  persistentSubscriber: boolean;
  /** The broker's CPU seconds so far, to report its cost per message. */
  brokerCpu?: () => number;
  warmupMs: number;
  measureMs: number;
}

export interface ThroughputResult {
  /** Messages delivered to the subscriber per second during the measured window. */
  deliveredPerS: number;
  /** Messages PUBACKed to the devices per second during the measured window. */
  acceptedPerS: number;
  p50Ms: number;
  p99Ms: number;
  /** Accepted by the broker but never delivered by the end of the run (a broker that drops under load). */
  lost: number;
  /** Broker CPU time per delivered message during the measured window, in microseconds. */
  cpuUsPerMsg: number;
}

const TYPE_PUBLISH = 3;
const TYPE_PUBACK = 4;
const TYPE_SUBACK = 9;
const TICK_MS = 10;

const percentile = (sorted: Float64Array, p: number) =>
  sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;

export async function measureThroughput(t: LoadTarget, o: ThroughputOptions): Promise<ThroughputResult> {
  let measuring = false;
  let running = true;
  let delivered = 0;
  let deliveredTotal = 0;
  let accepted = 0;
  let acceptedTotal = 0;
  const latencies: number[] = [];

  // The subscriber: acknowledges every PUBLISH at once, one write per read, like a fast ingest.
  let acks: Buffer[] = [];
  let subscribed!: () => void;
  const subackSeen = new Promise<void>((resolve) => {
    subscribed = resolve;
  });
  let sub!: Socket;
  const flushAcks = () => {
    if (acks.length === 0) return;
    sub.write(acks.length === 1 ? acks[0]! : Buffer.concat(acks));
    acks = [];
  };
  sub = await openSession(
    t.port,
    t.subscriber,
    (header, body) => {
      const type = header >> 4;
      if (type === TYPE_SUBACK) return subscribed();
      if (type !== TYPE_PUBLISH) return;
      const topicLen = body.readUInt16BE(0);
      const qos = (header >> 1) & 3;
      let p = 2 + topicLen;
      if (qos > 0) {
        if (acks.length === 0) setImmediate(flushAcks);
        acks.push(puback(body.readUInt16BE(p)));
        p += 2;
      }
      deliveredTotal++;
      if (!measuring) return;
      delivered++;
      // The payload ends with `"t":<performance.now() at send>}`.
      const tail = body.toString('latin1', body.length - 24, body.length - 1);
      const sentAt = Number(tail.slice(tail.lastIndexOf(':') + 1));
      latencies.push(performance.now() - sentAt);
    },
    { clean: !o.persistentSubscriber },
  );
  sub.write(subscribePacket('wl/v1/+/telemetry', 1));
  await subackSeen;

  const devices = await Promise.all(
    Array.from({ length: o.devices }, async (_, i) => {
      const creds = t.device(i);
      const topic = Buffer.from(`wl/v1/${creds.deviceId}/telemetry`);
      let seq = 0;
      let inflight = 0;
      let socket!: Socket;
      const send = () => {
        const messageId = (seq % 65535) + 1;
        const payload = Buffer.from(
          `{"ts":${Date.now()},"seq":${seq++},"values":{"ph":7.12,"chlorine":0.45,"turbidity":0.31},"t":${performance.now().toFixed(3)}}`,
        );
        inflight++;
        return socket.write(publishQos1(topic, messageId, payload));
      };
      socket = await openSession(t.port, creds, (header) => {
        if (header >> 4 !== TYPE_PUBACK) return;
        inflight--;
        acceptedTotal++;
        if (measuring) accepted++;
        if (running && o.perDeviceRate === undefined) send();
      });
      let owed = 0;
      return {
        start: () => {
          if (o.perDeviceRate === undefined) for (let k = 0; k < o.window; k++) send();
        },
        /** Paced mode: called every TICK_MS, sends what the rate owes (fractions carried over). */
        tick: () => {
          owed += ((o.perDeviceRate ?? 0) * TICK_MS) / 1000;
          while (owed >= 1 && inflight < o.window) {
            owed--;
            send();
          }
        },
        inflight: () => inflight,
        socket,
      };
    }),
  );

  for (const d of devices) d.start();
  const pacer =
    o.perDeviceRate === undefined
      ? null
      : setInterval(() => {
          for (const d of devices) d.tick();
        }, TICK_MS);
  await new Promise((r) => setTimeout(r, o.warmupMs));
  measuring = true;
  const cpu0 = o.brokerCpu?.() ?? 0;
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, o.measureMs));
  measuring = false;
  const seconds = (performance.now() - t0) / 1000;
  const cpu = (o.brokerCpu?.() ?? 0) - cpu0;
  running = false;
  if (pacer) clearInterval(pacer);

  // Drain: everything accepted should reach the subscriber; what does not within 5 s was dropped.
  const deadline = Date.now() + 5_000;
  while ((devices.some((d) => d.inflight() > 0) || deliveredTotal < acceptedTotal) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
  }
  for (const d of devices) d.socket.destroy();
  sub.destroy();

  const sorted = Float64Array.from(latencies).sort();
  return {
    deliveredPerS: delivered / seconds,
    acceptedPerS: accepted / seconds,
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    lost: Math.max(0, acceptedTotal - deliveredTotal),
    cpuUsPerMsg: delivered > 0 ? (cpu * 1e6) / delivered : Number.NaN,
  };
}

export interface IdleConnections {
  count(): number;
  /** Opens more idle device connections, `parallel` handshakes at a time. */
  grow(to: number, parallel?: number): Promise<void>;
  close(): void;
}

/** Devices that connect (keep-alive 60 s, clean session) and then stay quiet, as between readings. */
export function idleConnections(t: LoadTarget): IdleConnections {
  const sockets: Socket[] = [];
  return {
    count: () => sockets.length,
    async grow(to, parallel = 200) {
      while (sockets.length < to) {
        const batch = Math.min(parallel, to - sockets.length);
        const start = sockets.length;
        const opened = await Promise.all(
          Array.from({ length: batch }, (_, k) => openSession(t.port, t.device(start + k), () => undefined)),
        );
        sockets.push(...opened);
      }
    },
    close() {
      for (const s of sockets) s.destroy();
      sockets.length = 0;
    },
  };
}
