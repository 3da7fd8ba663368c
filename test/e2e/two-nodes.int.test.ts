/**
 * Scale-out: two nodes share Redis and InfluxDB; one is killed with SIGKILL while 100 devices publish to
 * it at QoS 1, the devices reconnect to the other, and every acknowledged Reading is stored exactly once.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { createInfluxStore } from '../../store/influx-store.js';
import { skipRedis, startRedis, type TestRedis } from '../broker/redis-server.js';
import {
  expectEveryAckStored,
  fleetId,
  fleetRegistry,
  type Publisher,
  startPublishers,
} from '../helpers/fleet.js';
import { type NodeProcess, spawnNode } from '../helpers/node-process.js';
import { waitFor } from '../helpers/wait-for.js';

const IDS = Array.from({ length: 100 }, (_, i) => fleetId(i));
const influxUrl = inject('influxUrl');

describe.skipIf(skipRedis || influxUrl === null)(
  'two nodes sharing Redis and InfluxDB',
  { timeout: 180_000 },
  () => {
    let dir: string;
    let redis: TestRedis;
    const nodes: NodeProcess[] = [];
    let load: Publisher | undefined;
    const bucket = `nodes_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;

    beforeEach(async () => {
      dir = mkdtempSync(join(tmpdir(), 'wl-nodes-'));
      writeFileSync(join(dir, 'registry.json'), JSON.stringify(fleetRegistry(IDS.length)));
      redis = await startRedis();
    });
    afterEach(async () => {
      await load?.stop();
      for (const n of nodes.splice(0)) await n.kill('SIGKILL');
      await redis.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    it('loses no acknowledged Reading when one node is killed and its devices move to the other', async () => {
      const start = (name: string) =>
        spawnNode({
          kind: 'node',
          registryPath: join(dir, 'registry.json'),
          dataDir: join(dir, name),
          env: { REDIS_URL: redis.url, INFLUX_URL: influxUrl!, INFLUX_BUCKET: bucket },
        });
      // One after the other, each kept for afterEach at once: a failed start must not leave the other running.
      const a = await start('a');
      nodes.push(a);
      const b = await start('b');
      nodes.push(b);
      load = await startPublishers(a.mqttUrl, IDS, { base: Date.now() - 3_600_000 });
      await waitFor(async () => load!.count() > 3_000, 'a stream under way on node a', 60_000);
      await a.kill('SIGKILL');
      const atKill = load.count();
      await load.moveTo(b.mqttUrl);
      await waitFor(async () => load!.count() > atKill + 3_000, 'the stream going on at node b', 60_000);
      await load.stop();
      await b.kill('SIGTERM');

      const store = await createInfluxStore({ url: influxUrl!, bucket });
      try {
        await expectEveryAckStored(store, load, IDS);
      } finally {
        await store.close();
      }
      expect(load.count()).toBeGreaterThan(atKill);
    });
  },
);
