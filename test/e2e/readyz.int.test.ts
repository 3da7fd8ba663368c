/** /readyz tells the truth: 503 with the reason (and a metric saying it) while the store refuses writes, 200 once it is back. */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import mqtt from 'mqtt';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { smallRegistry, token } from '../helpers/small-registry.js';
import { waitFor } from '../helpers/wait-for.js';

describe('readiness of the platform', { timeout: 90_000 }, () => {
  let p: TestPlatform | undefined;
  afterAll(async () => {
    await p?.stop();
  });

  it('answers 503 naming the store while Readings go to the spool, and 200 when they are replayed', async () => {
    p = await startTestPlatform(smallRegistry(), { sim: false });
    const ready = async () => {
      const res = await fetch(`${p!.httpUrl}/readyz`);
      return { status: res.status, body: (await res.json()) as { checks: Record<string, string> } };
    };
    expect((await ready()).status).toBe(200);

    // Another connection holds SQLite's write lock: the node's writes fail and go to the spool.
    const locker = new Database(join(p.dataDir, 'waterline.db'));
    locker.exec('BEGIN EXCLUSIVE');
    const device = await mqtt.connectAsync(p.mqttUrl, {
      clientId: 'd-0001',
      username: 'd-0001',
      password: token('d-0001'),
      reconnectPeriod: 0,
    });
    try {
      const acked = device.publishAsync(
        'wl/v1/d-0001/telemetry',
        JSON.stringify({ ts: Date.now() - 1_000, values: { ph: 7.1 } }),
        { qos: 1 },
      );
      const down = await waitFor(
        async () => {
          const r = await ready();
          return r.status === 503 && r.body;
        },
        'a 503 from /readyz',
        30_000,
      );
      expect(down.checks.ingest).toMatch(/^store unavailable/);
      // The Reading went to the fsync'd spool: its PUBACK came.
      await acked;
      const metrics = await (await fetch(`${p.httpUrl}/metrics`)).text();
      expect(metrics).toMatch(/waterline_ingest_ready\{reason="store unavailable"\} 0/);
    } finally {
      locker.exec('COMMIT');
      locker.close();
      await device.endAsync();
    }
    await waitFor(async () => (await ready()).status === 200, '/readyz ready again', 30_000);
  });
});
