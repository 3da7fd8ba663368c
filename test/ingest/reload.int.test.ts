/** SIGHUP to the ingest service: a valid registry is taken, an invalid one refused with its errors and the old one kept. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../devices-sim/demo-secret.js';
import { createSqliteStore } from '../../store/sqlite-store.js';
import { startTestBroker, type TestBroker } from '../helpers/broker.js';
import { parse } from '../helpers/ingest.js';
import { type IngestProcess, spawnIngest } from '../helpers/ingest-process.js';
import { smallRegistry, token } from '../helpers/small-registry.js';
import { waitFor } from '../helpers/wait-for.js';

describe('registry reload on SIGHUP', { timeout: 60_000 }, () => {
  let broker: TestBroker;
  let ingest: IngestProcess;
  let dir: string;
  const extended = smallRegistry();
  extended.devices.push({
    id: 'd-0009',
    site: 'xiji-s1-p1',
    metrics: ['chlorine'],
    intervalS: 60,
    tokenSha256: sha256Hex(token('d-0009')),
  });

  beforeAll(async () => {
    // The broker already knows d-0009; ingest starts with the registry without it.
    broker = await startTestBroker(parse(extended));
    dir = mkdtempSync(join(tmpdir(), 'wl-reload-'));
    writeFileSync(join(dir, 'registry.json'), JSON.stringify(smallRegistry()));
    ingest = await spawnIngest({
      mqttUrl: broker.url,
      registryPath: join(dir, 'registry.json'),
      dataDir: dir,
      env: { LOG_LEVEL: 'info' },
    });
  });
  afterAll(async () => {
    await ingest?.kill('SIGKILL');
    await broker.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('takes new devices from a valid registry and keeps the current one when the new one is invalid', async () => {
    const dev = mqtt.connect(broker.url, {
      clientId: 'd-0009',
      username: 'd-0009',
      password: token('d-0009'),
    });
    await new Promise<void>((resolve) => dev.once('connect', () => resolve()));
    const send = (ts: number) =>
      dev.publishAsync('wl/v1/d-0009/telemetry', JSON.stringify({ ts, values: { chlorine: 0.4 } }), {
        qos: 1,
      });
    const t = Date.now() - 60_000;
    await send(t);
    await waitFor(async () => (await ingest.value('waterline_ingest_unknown_device_total')) === 1, 'dropped');

    writeFileSync(join(dir, 'registry.json'), JSON.stringify(extended));
    ingest.child.kill('SIGHUP');
    await waitFor(async () => ingest.output().includes('registry reloaded'), 'the reload logged');
    await send(t + 1000);

    writeFileSync(join(dir, 'registry.json'), JSON.stringify({ ...extended, devices: [{ id: 'BAD' }] }));
    ingest.child.kill('SIGHUP');
    await waitFor(async () => ingest.output().includes('registry reload refused'), 'the refusal logged');
    expect(ingest.output()).toMatch(/devices\[0\]\.id/);
    await send(t + 2000);

    const store = createSqliteStore({ path: join(dir, 'waterline.db') });
    const points = await waitFor(async () => {
      const p = await store.queryReadings({
        deviceId: 'd-0009',
        metric: 'chlorine',
        from: 0,
        to: Date.now(),
      });
      return p.length >= 2 && p;
    }, 'the readings after the reload stored');
    expect(points.map((p) => p.ts)).toEqual([t + 1000, t + 2000]);
    await store.close();
    await dev.endAsync();
  });
});
