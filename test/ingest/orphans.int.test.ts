/** SIGHUP to the ingest service clears the active alerts of rules it disables and devices it removes. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertEvent } from '../../core/alert.js';
import { createSqliteStore } from '../../store/sqlite-store.js';
import type { TelemetryStore } from '../../store/telemetry-store.js';
import { startTestBroker, type TestBroker } from '../helpers/broker.js';
import { type IngestProcess, spawnIngest } from '../helpers/ingest-process.js';
import { smallRegistry, token } from '../helpers/small-registry.js';
import { waitFor } from '../helpers/wait-for.js';

describe('orphaned alerts after a registry reload', { timeout: 60_000 }, () => {
  let broker: TestBroker;
  let ingest: IngestProcess;
  let dir: string;
  let store: TelemetryStore;

  beforeAll(async () => {
    broker = await startTestBroker();
    dir = mkdtempSync(join(tmpdir(), 'wl-orphans-'));
    writeFileSync(join(dir, 'registry.json'), JSON.stringify(smallRegistry()));
    ingest = await spawnIngest({
      mqttUrl: broker.url,
      registryPath: join(dir, 'registry.json'),
      dataDir: dir,
      env: { LOG_LEVEL: 'info' },
    });
    store = createSqliteStore({ path: join(dir, 'waterline.db') });
  });
  afterAll(async () => {
    await store?.close();
    await ingest?.kill('SIGKILL');
    await broker.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Two low-chlorine Readings from d-0001 (a plant outlet) raise chlorine-plant; returns its id. */
  async function raiseChlorinePlant(t: number): Promise<string> {
    const dev = mqtt.connect(broker.url, {
      clientId: 'd-0001',
      username: 'd-0001',
      password: token('d-0001'),
    });
    await new Promise<void>((resolve) => dev.once('connect', () => resolve()));
    for (const ts of [t, t + 1000]) {
      await dev.publishAsync('wl/v1/d-0001/telemetry', JSON.stringify({ ts, values: { chlorine: 0.1 } }), {
        qos: 1,
      });
    }
    await dev.endAsync();
    const alert = await waitFor(
      async () => (await store.activeAlerts()).find((a) => a.ruleId === 'chlorine-plant'),
      'chlorine-plant raised',
      30_000,
    );
    return alert.id;
  }

  let reloads = 0;
  async function reload(edit: (f: ReturnType<typeof smallRegistry>) => void) {
    const file = smallRegistry();
    edit(file);
    // Padding with overrides that change nothing (stale's default factor) makes each reload's logged
    // rule count unique, so the test knows when this one is in force.
    const pad = 10 + ++reloads;
    file.rules = [
      ...(file.rules ?? []),
      ...Array.from({ length: pad }, () => ({ rule: 'stale' as const, factor: 3 })),
    ];
    writeFileSync(join(dir, 'registry.json'), JSON.stringify(file));
    ingest.child.kill('SIGHUP');
    const logged = new RegExp(`"rules":${file.rules.length}[,}].*registry reloaded`);
    // A process of its own on a loaded machine: generous bounds.
    await waitFor(async () => logged.test(ingest.output()), 'the reload logged', 30_000);
  }

  const clearOf = (id: string) =>
    waitFor(
      async () => {
        const got = await store.getAlert(id);
        return got?.events.find((e: AlertEvent) => e.type === 'cleared') && got;
      },
      `alert ${id} cleared`,
      30_000,
    );

  it('clears with reason rule-disabled when a reload disables the rule', async () => {
    const id = await raiseChlorinePlant(Date.now() - 120_000);
    await reload((f) => {
      f.rules = [{ rule: 'chlorine-plant', device: 'd-0001', enabled: false }];
    });
    const got = await clearOf(id);
    expect(got.alert.active).toBe(false);
    expect(got.events.at(-1)).toMatchObject({ type: 'cleared', reason: 'rule-disabled' });
  });

  it('clears with reason device-removed when a reload removes the device', async () => {
    await reload(() => {});
    const id = await raiseChlorinePlant(Date.now() - 60_000);
    await reload((f) => {
      f.devices = f.devices.filter((d) => d.id !== 'd-0001');
    });
    const got = await clearOf(id);
    expect(got.alert.active).toBe(false);
    expect(got.events.at(-1)).toMatchObject({ type: 'cleared', reason: 'device-removed' });
  });
});
