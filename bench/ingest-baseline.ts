/**
 * The yardstick for `npm run bench`: the least an ingest can do. Subscribe, JSON.parse, write InfluxDB
 * line protocol, PUBACK on receipt (mqtt.js's default), no validation, rules, alerts or durability.
 * Run as a child process: MQTT_URL, INGEST_PASSWORD, INFLUX_URL, INFLUX_DB; reports counts over IPC.
 */
import mqtt from 'mqtt';

const env = (name: string): string => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} must be set`);
  return v;
};
const influx = env('INFLUX_URL');
const db = env('INFLUX_DB');
const BATCH = 5_000;
const LINGER_MS = 50;

let lines: string[] = [];
let stored = 0;
let writing = 0;
let timer: NodeJS.Timeout | null = null;

const flush = () => {
  if (timer) clearTimeout(timer);
  timer = null;
  if (lines.length === 0) return;
  const body = `${lines.join('\n')}\n`;
  const n = lines.length;
  lines = [];
  writing++;
  fetch(`${influx}/write?db=${db}&precision=ms`, { method: 'POST', body })
    .then(async (res) => {
      if (res.status !== 204) throw new Error(`write answered ${res.status}: ${await res.text()}`);
      stored += n;
      process.send?.({ stored });
    })
    .catch((e: unknown) => console.error(`baseline: write failed (dropped): ${(e as Error).message}`))
    .finally(() => {
      writing--;
    });
};

await fetch(`${influx}/query?q=${encodeURIComponent(`CREATE DATABASE "${db}"`)}`, { method: 'POST' });
const client = mqtt.connect(env('MQTT_URL'), {
  clientId: 'svc:ingest:baseline',
  username: 'svc:ingest',
  password: env('INGEST_PASSWORD'),
});
client.on('message', (topic, payload) => {
  const deviceId = topic.split('/')[2];
  type R = { ts: number; values: Record<string, number> };
  const data = JSON.parse(payload.toString()) as R | R[];
  for (const r of Array.isArray(data) ? data : [data]) {
    const fields = Object.entries(r.values)
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
    lines.push(`reading,device=${deviceId} ${fields} ${r.ts}`);
  }
  if (lines.length >= BATCH) flush();
  else timer ??= setTimeout(flush, LINGER_MS);
});
client.on('connect', () => {
  client.subscribe('wl/v1/+/telemetry', { qos: 1 }, () => process.send?.({ ready: true }));
});
process.on('SIGTERM', () => {
  flush();
  const wait = () => (writing > 0 ? setTimeout(wait, 10) : process.exit(0));
  wait();
});
