/** Nothing acknowledged is lost: ingest killed mid-stream and restarted, and the store unavailable under load. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import mqtt, { type MqttClient } from 'mqtt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Reading } from '../../core/reading.js';
import { createSqliteStore } from '../../store/sqlite-store.js';
import type { TelemetryStore } from '../../store/telemetry-store.js';
import { startTestBroker, type TestBroker } from '../helpers/broker.js';
import { type IngestProcess, spawnIngest } from '../helpers/ingest-process.js';
import { type Load, startLoad } from '../helpers/load.js';
import { smallRegistry, token } from '../helpers/small-registry.js';
import { waitFor } from '../helpers/wait-for.js';

const BASE = Date.now() - 86_400_000;
const METRIC = { 'd-0001': 'ph', 'd-0002': 'chlorine', 'd-0003': 'chlorine' } as const;

/** d-0002's chlorine stays below 0.05 mg/L throughout: one alert, raised once. Others vary, inside their limits. */
const reading = (id: string, i: number): Reading => {
  const ts = BASE + i * 10;
  if (id === 'd-0002') return { ts, seq: i, values: { chlorine: 0.01 + (i % 3) / 100 } };
  if (id === 'd-0001') return { ts, seq: i, values: { ph: 7 + (i % 10) / 100 } };
  return { ts, seq: i, values: { chlorine: 0.5 + (i % 7) / 100 } };
};

describe('ingest durability', { timeout: 120_000 }, () => {
  let broker: TestBroker;
  let dir: string;
  let registryPath: string;
  let ingest: IngestProcess | undefined;
  let store: TelemetryStore | undefined;
  const devices = new Map<string, MqttClient>();

  beforeEach(async () => {
    broker = await startTestBroker();
    dir = mkdtempSync(join(tmpdir(), 'wl-durable-'));
    registryPath = join(dir, 'registry.json');
    writeFileSync(registryPath, JSON.stringify(smallRegistry()));
    for (const id of Object.keys(METRIC)) {
      const c = mqtt.connect(broker.url, {
        clientId: id,
        username: id,
        password: token(id),
        reconnectPeriod: 0,
      });
      await new Promise<void>((resolve, reject) => {
        c.once('connect', () => resolve());
        c.once('error', reject);
      });
      devices.set(id, c);
    }
  });
  afterEach(async () => {
    await ingest?.kill('SIGKILL');
    await Promise.all([...devices.values()].map((c) => c.endAsync()));
    devices.clear();
    await store?.close();
    store = undefined;
    await broker.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const start = (env?: Record<string, string>) =>
    spawnIngest({ mqttUrl: broker.url, registryPath, dataDir: dir, env });
  const openStore = () => {
    store ??= createSqliteStore({ path: join(dir, 'waterline.db') });
    return store;
  };
  const storedTs = async (id: keyof typeof METRIC) =>
    (await openStore().queryReadings({ deviceId: id, metric: METRIC[id], from: 0, to: Date.now() })).map(
      (p) => p.ts,
    );
  /** Every acknowledged Reading is in the store, and nothing else. */
  const expectAllStored = async (load: Load) => {
    for (const id of Object.keys(METRIC) as (keyof typeof METRIC)[]) {
      const want = [...load.acked.get(id)!].sort((a, b) => a - b);
      const got = await waitFor(
        async () => {
          const ts = await storedTs(id);
          return ts.length >= want.length && ts;
        },
        `${want.length} Readings of ${id} stored`,
        60_000,
      );
      expect(got, id).toEqual(want);
    }
  };
  const chlorineAlerts = async () =>
    (await openStore().listAlerts({ deviceId: 'd-0002', limit: 100 })).items.filter(
      (a) => a.ruleId === 'chlorine-network',
    );

  it('loses no acknowledged Reading and raises no alert twice when ingest is killed mid-stream', async () => {
    ingest = await start();
    const load = startLoad(devices, { rate: 1500, reading });
    await waitFor(async () => (await chlorineAlerts()).length === 1, 'the chlorine alert raised');
    await waitFor(async () => load.count() > 3000, 'a stream under way');
    await ingest.kill('SIGKILL');
    const atKill = load.count();
    // The broker holds the persistent session's messages while ingest is away.
    await waitFor(async () => load.count() > atKill + 1500, 'Readings acknowledged while ingest is down');
    ingest = await start();
    await new Promise((r) => setTimeout(r, 1000));
    await load.stop();
    await expectAllStored(load);

    const alerts = await chlorineAlerts();
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.active).toBe(true);
    expect((await openStore().getAlert(alerts[0]!.id))!.events.map((e) => e.type)).toEqual(['raised']);
  });

  it('spools while the store refuses writes, replays in order when it is back, and loses nothing', async () => {
    ingest = await start({ INGEST_WRITE_TIMEOUT_MS: '1000' });
    const load = startLoad(devices, { rate: 1000, reading });
    await waitFor(async () => load.count() > 1000, 'a stream under way');
    // Another connection holds SQLite's write lock: ingest's writes fail with SQLITE_BUSY.
    const locker = new Database(join(dir, 'waterline.db'));
    locker.exec('BEGIN EXCLUSIVE');
    await new Promise((r) => setTimeout(r, 8_000));
    const spooled = await waitFor(
      async () => ingest!.value('waterline_ingest_readings_spooled_total'),
      'spooled',
    );
    locker.exec('COMMIT');
    locker.close();
    await new Promise((r) => setTimeout(r, 1000));
    await load.stop();
    await expectAllStored(load);
    expect(spooled).toBeGreaterThan(0);
    await waitFor(
      async () => (await ingest!.value('waterline_ingest_spool_bytes')) === 0,
      'the spool emptied',
    );
    expect(await chlorineAlerts()).toHaveLength(1);
  });
});
