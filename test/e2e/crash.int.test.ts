/**
 * A PUBACK is a promise: 100 devices publish at QoS 1 as fast as acknowledgements allow, the platform is
 * killed with SIGKILL mid-stream and restarted on the same data, and every acknowledged Reading is stored
 * exactly once (embedded store and InfluxDB). Meanwhile one device keeps raising and clearing an alert:
 * every AlertEvent that went out on MQTT before the kill is in the store after the restart.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import type { AlertEvent } from '../../core/alert.js';
import { topics } from '../../core/topics.js';
import { createInfluxStore } from '../../store/influx-store.js';
import { createSqliteStore } from '../../store/sqlite-store.js';
import {
  expectEveryAckStored,
  fleetId,
  fleetRegistry,
  type Publisher,
  startPublishers,
} from '../helpers/fleet.js';
import { type NodeProcess, spawnNode } from '../helpers/node-process.js';
import { apiKey, token } from '../helpers/small-registry.js';
import { waitFor } from '../helpers/wait-for.js';

const DEVICES = 100;
const IDS = Array.from({ length: DEVICES }, (_, i) => fleetId(i));

/**
 * d-0002 (free chlorine at a pipe node) alternates two Readings below 0.05 mg/L and two above, as fast as
 * PUBACKs allow, so chlorine-network raises and clears all along; an operator's client records every
 * AlertEvent it is sent.
 */
async function startAlertFlipper(url: string, base: number) {
  const seen: AlertEvent[] = [];
  const watcher = await mqtt.connectAsync(url, {
    clientId: 'key:demo-admin',
    username: 'key:demo-admin',
    password: apiKey('demo-admin'),
    reconnectPeriod: 0,
  });
  watcher.on('error', () => {});
  watcher.on('message', (_t, payload) => seen.push(JSON.parse(payload.toString()) as AlertEvent));
  await watcher.subscribeAsync(topics.allAlerts, { qos: 1 });
  const device = await mqtt.connectAsync(url, {
    clientId: 'd-0002',
    username: 'd-0002',
    password: token('d-0002'),
    reconnectPeriod: 0,
  });
  device.on('error', () => {});
  let running = true;
  const loop = (async () => {
    for (let i = 0; running; i++) {
      const chlorine = i % 4 < 2 ? 0.01 : 0.5;
      await device
        .publishAsync(
          topics.telemetry('d-0002'),
          JSON.stringify({ ts: base + i * 60_000, values: { chlorine } }),
          {
            qos: 1,
          },
        )
        .catch(() => {
          running = false;
        });
    }
  })();
  return {
    seen,
    async stop() {
      running = false;
      device.end(true);
      watcher.end(true);
      await loop;
    },
  };
}

const stores = [
  { name: 'embedded store', influx: false },
  { name: 'InfluxDB', influx: true },
] as const;

describe.each(stores)('kill -9 of npm start with the $name', { timeout: 180_000 }, ({ influx }) => {
  const influxUrl = inject('influxUrl');
  let dir: string;
  let platform: NodeProcess | undefined;
  let load: Publisher | undefined;
  let flipper: Awaited<ReturnType<typeof startAlertFlipper>> | undefined;
  const bucket = `crash_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'wl-crash-'));
    writeFileSync(join(dir, 'registry.json'), JSON.stringify(fleetRegistry(DEVICES)));
  });
  afterEach(async () => {
    await load?.stop();
    await flipper?.stop();
    await platform?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it.skipIf(influx && influxUrl === null)(
    'stores every Reading a device got a PUBACK for, exactly once, and every alert event it published',
    async () => {
      const env: Record<string, string> = influx ? { INFLUX_URL: influxUrl!, INFLUX_BUCKET: bucket } : {};
      const start = (mqttPort?: number) =>
        spawnNode({
          kind: 'platform',
          registryPath: join(dir, 'registry.json'),
          dataDir: dir,
          env,
          mqttPort,
        });
      platform = await start();
      const port = Number(new URL(platform.mqttUrl).port);
      load = await startPublishers(platform.mqttUrl, IDS, { base: Date.now() - 3_600_000 });
      flipper = await startAlertFlipper(platform.mqttUrl, Date.now() - 7 * 86_400_000);
      const started = Date.now();
      await waitFor(
        async () =>
          (load!.count() > 5_000 && flipper!.seen.length >= 10) ||
          (Date.now() - started > 8_000 && load!.count() > 0),
        'a stream under way',
        60_000,
      );
      await platform.kill('SIGKILL');
      await load.stop();
      await flipper.stop();
      expect(load.count()).toBeGreaterThan(0);
      expect(flipper.seen.length).toBeGreaterThan(0);

      platform = await start(port);
      await platform.kill('SIGTERM');
      const store = influx
        ? await createInfluxStore({ url: influxUrl!, bucket })
        : createSqliteStore({ path: join(dir, 'waterline.db') });
      try {
        await expectEveryAckStored(store, load, IDS);
        // An alert published on MQTT was durable first: none is missing after the crash.
        const stored = new Set(
          (await store.alertEventsAfter(null, 100_000)).map((e) => `${e.event.type} ${e.event.alert.id}`),
        );
        const missing = flipper.seen.map((e) => `${e.type} ${e.alert.id}`).filter((k) => !stored.has(k));
        expect(missing, `${flipper.seen.length} events were published`).toEqual([]);
      } finally {
        await store.close();
      }
    },
  );
});
