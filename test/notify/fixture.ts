/** A notifier over a real SQLite store and a real local webhook receiver, with a clock the test moves. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { Alert, AlertEvent } from '../../core/alert.js';
import type { NotifySection } from '../../core/notify/schema.js';
import type { Registry } from '../../core/registry.js';
import type { RegistryFile } from '../../core/registry-schema.js';
import { createNotifier, type Notifier, type NotifierDeps } from '../../notify/create-notifier.js';
import { createSqliteStore, type SqliteStore } from '../../store/sqlite-store.js';
import { buildRegistry } from '../api/fixture.js';
import { smallRegistry } from '../helpers/small-registry.js';
import { type Receiver, startReceiver } from './receiver.js';

export const T0 = Date.parse('2026-12-07T14:00:00Z');
export const MIN = 60_000;

/** County, prefecture and region each have a webhook path on the receiver; the county route asks for 恢复. */
export function notifySection(extra: Partial<NotifySection> = {}): NotifySection {
  return {
    channels: [
      { id: 'county-hook', type: 'webhook', url: '/county' },
      { id: 'prefecture-hook', type: 'webhook', url: '/prefecture' },
      { id: 'region-hook', type: 'webhook', url: '/region' },
    ],
    routes: [
      {
        id: 'xiji-duty',
        match: { counties: ['xiji'] },
        targets: [{ channel: 'county-hook' }],
        recovery: true,
      },
      {
        id: 'guyuan',
        level: 'prefecture',
        match: { prefectures: ['guyuan'] },
        targets: [{ channel: 'prefecture-hook' }],
      },
      { id: 'region', level: 'region', targets: [{ channel: 'region-hook' }] },
    ],
    escalation: { repeatAfter: '10m', escalateAfter: '30m', maxRepeats: 3 },
    ...extra,
  };
}

export interface NotifyFixture {
  rx: Receiver;
  store: SqliteStore;
  registry: Registry;
  dir: string;
  now: { t: number };
  notifier: Notifier;
  /** A new notifier on the same data folder (a restart). */
  restart(over?: Partial<NotifierDeps>): Promise<Notifier>;
  /** Stores the events (durable), then hands them to the notifier, as the platform does. */
  emit(...events: AlertEvent[]): Promise<void>;
  /** Requests the receiver got on one path. */
  at(path: string): { step: string; text: string; id: string }[];
  close(): Promise<void>;
}

export async function createNotifyFixture(
  opts: { notify?: NotifySection; file?: RegistryFile; deps?: Partial<NotifierDeps> } = {},
): Promise<NotifyFixture> {
  const rx = await startReceiver();
  const dir = mkdtempSync(join(tmpdir(), 'wl-notify-'));
  const store = createSqliteStore({ path: join(dir, 'waterline.db') });
  const file = opts.file ?? smallRegistry();
  const registry = buildRegistry({ ...file, notify: opts.notify ?? notifySection() });
  const now = { t: T0 };
  const make = (over: Partial<NotifierDeps> = {}) =>
    createNotifier({
      registry: () => registry,
      store,
      dataDir: dir,
      clock: () => now.t,
      log: pino({ level: process.env.TEST_LOG ?? 'silent' }),
      boardUrl: rx.url,
      follow: false,
      ...opts.deps,
      ...over,
    });
  const f: NotifyFixture = {
    rx,
    store,
    registry,
    dir,
    now,
    notifier: make(),
    async restart(over) {
      await f.notifier.stop();
      f.notifier = make(over);
      return f.notifier;
    },
    async emit(...events) {
      await store.appendAlertEvents(events);
      await f.notifier.handle(events);
    },
    at: (path) =>
      rx.requests
        .filter((r) => r.url.pathname === path)
        .map((r) => {
          const b = JSON.parse(r.body) as { step: string; text: string; id: string };
          return { step: b.step, text: b.text, id: b.id };
        }),
    async close() {
      await f.notifier.stop();
      await store.close();
      await rx.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return f;
}

let n = 0;
export function alertAt(t: number, over: Partial<Alert> = {}): Alert {
  n++;
  return {
    id: `alert-${n}`,
    ruleId: 'chlorine-plant',
    kind: 'threshold',
    metric: 'chlorine',
    deviceId: 'd-0001',
    siteId: 'xiji-s1-plant',
    schemeId: 'xiji-s1',
    countyId: 'xiji',
    severity: 'critical',
    active: true,
    acknowledged: false,
    raisedAt: new Date(t).toISOString(),
    value: 0.1,
    limit: 0.3,
    message: 'free chlorine 0.1 mg/L below 0.3 mg/L at plant xiji-s1-plant',
    ...over,
  };
}

export const raised = (a: Alert): AlertEvent => ({ type: 'raised', at: a.raisedAt, alert: a });
export const acked = (a: Alert, t: number): AlertEvent => {
  const at = new Date(t).toISOString();
  return {
    type: 'acknowledged',
    at,
    alert: { ...a, acknowledged: true, acknowledgedAt: at, acknowledgedBy: 'ops-xiji' },
  };
};
export const cleared = (a: Alert, t: number): AlertEvent => {
  const at = new Date(t).toISOString();
  return { type: 'cleared', at, alert: { ...a, active: false, clearedAt: at } };
};
