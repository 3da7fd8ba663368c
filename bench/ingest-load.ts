/** Benchmark load: device connections publishing QoS 1 Readings closed-loop or at a fixed rate, and alert-latency probes. */
import { performance } from 'node:perf_hooks';
import mqtt, { type MqttClient } from 'mqtt';
import type { AlertEvent } from '../core/alert.js';
import { topics } from '../core/topics.js';
import { benchAdminKey, benchToken } from './ingest-registry.js';

export type Devices = Map<string, MqttClient>;

export async function connectDevices(url: string, ids: readonly string[]): Promise<Devices> {
  const out: Devices = new Map();
  await Promise.all(
    ids.map(async (id) => {
      const c = mqtt.connect(url, {
        clientId: id,
        username: id,
        password: benchToken(id),
        reconnectPeriod: 0,
      });
      await new Promise<void>((resolve, reject) => {
        c.once('connect', () => resolve());
        c.once('error', reject);
      });
      out.set(id, c);
    }),
  );
  return out;
}

/** Closes without waiting for acknowledgements still due (a backlog would otherwise hold the run). */
export async function closeAll(devices: Devices): Promise<void> {
  await Promise.all([...devices.values()].map((c) => c.endAsync(true)));
}

/** Each device's `ts` strictly increases and stays near now, so every Reading is live (judged by the rules). */
const lastTs = new Map<string, number>();
export function nextTs(id: string): number {
  const ts = Math.max((lastTs.get(id) ?? 0) + 1, Date.now());
  lastTs.set(id, ts);
  return ts;
}

/**
 * A healthy network Reading: values inside every limit that drift as a real sensor's do (a slow wave
 * per device, a little noise), so no rule fires on them: a jump of 0.3 mg/L from one Reading to the
 * next is a chlorine-rate event, not a healthy pipe.
 */
const phase = new Map<string, number>();
export const healthy = (id: string) => {
  const i = (phase.get(id) ?? Math.floor(Math.random() * 1000)) + 1;
  phase.set(id, i);
  const noise = () => (Math.random() - 0.5) / 200;
  return JSON.stringify({
    ts: nextTs(id),
    values: {
      chlorine: Math.round((0.5 + 0.05 * Math.sin(i / 200) + noise()) * 1000) / 1000,
      pressure: Math.round((0.35 + 0.02 * Math.sin(i / 150) + noise()) * 1000) / 1000,
    },
  });
};

/** Publishes `total` Readings as fast as the system takes them, `window` unacknowledged per device. */
export async function closedLoop(devices: Devices, total: number, window: number): Promise<void> {
  const ids = [...devices.keys()];
  const per = Math.ceil(total / ids.length);
  await Promise.all(
    ids.map(
      (id) =>
        new Promise<void>((resolve) => {
          const c = devices.get(id)!;
          let sent = 0;
          let done = 0;
          const pump = () => {
            while (sent < per && sent - done < window) {
              sent++;
              c.publish(topics.telemetry(id), healthy(id), { qos: 1 }, () => {
                done++;
                if (done === per) resolve();
                else pump();
              });
            }
          };
          pump();
        }),
    ),
  );
}

/** Watches wl/v1/alerts/+ as the admin key; resolves `raised` events per device as they arrive. */
export async function watchAlerts(
  url: string,
): Promise<{ next(deviceId: string): Promise<number>; close(): Promise<void> }> {
  const c = mqtt.connect(url, {
    clientId: 'key:demo-admin',
    username: 'key:demo-admin',
    password: benchAdminKey(),
  });
  await new Promise<void>((resolve, reject) => {
    c.once('connect', () => resolve());
    c.once('error', reject);
  });
  const waiting = new Map<string, (at: number) => void>();
  c.on('message', (_t, payload) => {
    const at = performance.now();
    const e = JSON.parse(payload.toString()) as AlertEvent;
    if (e.type === 'raised' && e.alert.ruleId === 'chlorine-network') waiting.get(e.alert.deviceId)?.(at);
  });
  await c.subscribeAsync(topics.allAlerts, { qos: 1 });
  return {
    next: (deviceId) =>
      new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no alert for ${deviceId} within 5 s`)), 5_000);
        waiting.set(deviceId, (at) => {
          clearTimeout(timer);
          waiting.delete(deviceId);
          resolve(at);
        });
      }),
    close: () => c.endAsync().then(() => {}),
  };
}

/**
 * Alert latency: a probe device sends a first breaching chlorine Reading, then the second; the time from
 * publishing the second to receiving the `raised` AlertEvent on MQTT is one sample. Two healthy Readings
 * then clear the alert so the device can be probed again.
 */
export async function probeAlerts(
  probes: Devices,
  watcher: Awaited<ReturnType<typeof watchAlerts>>,
  samples: number,
  everyMs: number,
  /** Stops probing at this performance.now() time, however many samples are left. */
  until = Number.POSITIVE_INFINITY,
): Promise<number[]> {
  const ids = [...probes.keys()];
  const out: number[] = [];
  const send = (id: string, chlorine: number) =>
    probes
      .get(id)!
      .publish(topics.telemetry(id), JSON.stringify({ ts: nextTs(id), values: { chlorine } }), { qos: 1 });
  for (let i = 0; i < samples && performance.now() < until; i++) {
    const id = ids[i % ids.length]!;
    send(id, 0.01);
    await new Promise((r) => setTimeout(r, 20));
    const raised = watcher.next(id);
    const t0 = performance.now();
    send(id, 0.02);
    // A lost alert counts as infinitely late, so it shows in the percentiles instead of stopping the run.
    out.push(
      await raised.then(
        (at) => at - t0,
        () => Number.POSITIVE_INFINITY,
      ),
    );
    send(id, 0.5);
    send(id, 0.51);
    await new Promise((r) => setTimeout(r, everyMs));
  }
  return out;
}

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}
