/**
 * A PUBACK is a promise: 100 devices publish at QoS 1 as fast as acknowledgements allow, the platform is
 * killed with SIGKILL mid-stream and restarted on the same data, and every acknowledged Reading is stored
 * exactly once (embedded store and InfluxDB).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
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
import { waitFor } from '../helpers/wait-for.js';

const DEVICES = 100;
const IDS = Array.from({ length: DEVICES }, (_, i) => fleetId(i));

const stores = [
  { name: 'embedded store', influx: false },
  { name: 'InfluxDB', influx: true },
] as const;

describe.each(stores)('kill -9 of npm start with the $name', { timeout: 180_000 }, ({ influx }) => {
  const influxUrl = inject('influxUrl');
  let dir: string;
  let platform: NodeProcess | undefined;
  let load: Publisher | undefined;
  const bucket = `crash_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'wl-crash-'));
    writeFileSync(join(dir, 'registry.json'), JSON.stringify(fleetRegistry(DEVICES)));
  });
  afterEach(async () => {
    await load?.stop();
    await platform?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it.skipIf(influx && influxUrl === null)(
    'stores every Reading a device got a PUBACK for, exactly once',
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
      const started = Date.now();
      await waitFor(
        async () => load!.count() > 5_000 || (Date.now() - started > 8_000 && load!.count() > 0),
        'a stream under way',
        60_000,
      );
      await platform.kill('SIGKILL');
      await load.stop();
      expect(load.count()).toBeGreaterThan(0);

      platform = await start(port);
      await platform.kill('SIGTERM');
      const store = influx
        ? await createInfluxStore({ url: influxUrl!, bucket })
        : createSqliteStore({ path: join(dir, 'waterline.db') });
      try {
        await expectEveryAckStored(store, load, IDS);
      } finally {
        await store.close();
      }
    },
  );
});
