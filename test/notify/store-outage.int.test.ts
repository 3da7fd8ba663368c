/** With InfluxDB stopped, notifications still go out; their history waits in the outbox and lands once it is back. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createNotifier, type Notifier } from '../../notify/create-notifier.js';
import { createInfluxStore } from '../../store/influx-store.js';
import type { TelemetryStore } from '../../store/telemetry-store.js';
import { buildRegistry } from '../api/fixture.js';
import { type Influxd, startInfluxd } from '../helpers/influxd.js';
import { smallRegistry } from '../helpers/small-registry.js';
import { waitFor } from '../helpers/wait-for.js';
import { alertAt, notifySection, raised } from './fixture.js';
import { type Receiver, startReceiver } from './receiver.js';

describe.skipIf(inject('influxUrl') === null)(
  'notifications while the store is down',
  { timeout: 60_000 },
  () => {
    let influxd: Influxd;
    let store: TelemetryStore;
    let rx: Receiver;
    let notifier: Notifier;
    let dir: string;

    beforeAll(async () => {
      // Its own influxd: this test stops it, which must not disturb the shared one.
      influxd = await startInfluxd();
      store = await createInfluxStore({ url: influxd.url, bucket: 'waterline', timeoutMs: 500 });
      rx = await startReceiver();
      dir = mkdtempSync(join(tmpdir(), 'wl-notify-outage-'));
      const registry = buildRegistry({ ...smallRegistry(), notify: notifySection() });
      notifier = createNotifier({
        registry: () => registry,
        store,
        dataDir: dir,
        log: pino({ level: process.env.TEST_LOG ?? 'silent' }),
        boardUrl: rx.url,
        follow: false,
      });
    });
    afterAll(async () => {
      process.kill(influxd.pid, 'SIGCONT');
      await notifier?.stop();
      await store?.close();
      await rx?.close();
      await influxd?.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    it('sends at once, keeps the history, and stores it when InfluxDB answers again', async () => {
      const a = alertAt(Date.now() - 1_000);
      await store.appendAlertEvents([raised(a)]);
      process.kill(influxd.pid, 'SIGSTOP');
      await notifier.handle([raised(a)]);
      await notifier.tick();
      expect(rx.requests).toHaveLength(1);
      // A second pass while stopped: the history write times out and stays queued; nothing is sent again.
      await notifier.tick();
      expect(rx.requests).toHaveLength(1);
      process.kill(influxd.pid, 'SIGCONT');
      const stored = await waitFor(async () => {
        await notifier.tick();
        const got = await store.getAlert(a.id);
        return got?.events.some((e) => e.type === 'notified') ? got : undefined;
      }, 'the notification history in InfluxDB');
      expect(stored.events.filter((e) => e.type === 'notified')).toHaveLength(1);
      expect(rx.requests).toHaveLength(1);
    });
  },
);
