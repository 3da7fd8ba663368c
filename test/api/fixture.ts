/** A real app over a real SQLite store in a temp dir, with hand-built alerts, for the API tests. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Hono } from 'hono';
import { pino } from 'pino';
import { type AppDeps, createApp } from '../../api/create-app.js';
import type { Alert, AlertEvent } from '../../core/alert.js';
import { parseRegistry, type Registry } from '../../core/registry.js';
import type { RegistryFile } from '../../core/registry-schema.js';
import { createSqliteStore } from '../../store/sqlite-store.js';
import type { TelemetryStore } from '../../store/telemetry-store.js';
import { apiKey, smallRegistry } from '../helpers/small-registry.js';

export interface ApiFixture {
  app: Hono;
  store: TelemetryStore;
  registry: Registry;
  published: AlertEvent[];
  /** A request with a key (by key id) and an optional JSON body and client address. */
  call(
    path: string,
    init?: { key?: string | null; method?: string; body?: unknown; address?: string; raw?: string },
  ): Promise<Response>;
  close(): void;
}

export function buildRegistry(file: RegistryFile = smallRegistry()): Registry {
  const parsed = parseRegistry(file);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.value;
}

export function createFixture(
  extra: Partial<AppDeps> & { file?: RegistryFile; online?: (id: string) => boolean } = {},
): ApiFixture {
  const dir = mkdtempSync(join(tmpdir(), 'wl-api-'));
  const store = createSqliteStore({ path: join(dir, 'waterline.db') });
  const registry = buildRegistry(extra.file);
  const published: AlertEvent[] = [];
  const app = createApp({
    registry: () => registry,
    store,
    online: () => false,
    log: pino({ level: process.env.TEST_LOG ?? 'silent' }),
    publishAlertEvent: (e) => published.push(e),
    ...extra,
    options: { coverageMaxAgeMs: 0, ...extra.options },
  });
  return {
    app,
    store,
    registry,
    published,
    call(path, init = {}) {
      const headers: Record<string, string> = {};
      const key = init.key === undefined ? 'demo-admin' : init.key;
      if (key !== null) headers.authorization = `Bearer ${apiKey(key)}`;
      let body: string | undefined = init.raw;
      if (init.body !== undefined) {
        body = JSON.stringify(init.body);
        headers['content-type'] = 'application/json';
      }
      // @hono/node-server passes the socket as env.incoming; the limiter reads the peer address there.
      const env = { incoming: { socket: { remoteAddress: init.address ?? '192.0.2.1' } } };
      return Promise.resolve(app.request(path, { method: init.method ?? 'GET', headers, body }, env));
    },
    close() {
      void store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

let counter = 0;

/** An alert of the small registry: xiji devices d-0001/d-0002, longde device d-0003. */
export function makeAlert(over: Partial<Alert> & { raisedAt: string }): Alert {
  const deviceId = over.deviceId ?? 'd-0001';
  const where: Record<string, { siteId: string; schemeId: string; countyId: string }> = {
    'd-0001': { siteId: 'xiji-s1-plant', schemeId: 'xiji-s1', countyId: 'xiji' },
    'd-0002': { siteId: 'xiji-s1-p1', schemeId: 'xiji-s1', countyId: 'xiji' },
    'd-0003': { siteId: 'longde-w1-plant', schemeId: 'longde-w1', countyId: 'longde' },
  };
  return {
    id: over.id ?? `a-${++counter}`,
    ruleId: 'turbidity-max',
    kind: 'threshold',
    metric: 'turbidity',
    deviceId,
    ...where[deviceId]!,
    severity: 'critical',
    active: true,
    acknowledged: false,
    value: 1.4,
    limit: 1,
    message: 'turbidity 1.4 NTU above 1 NTU',
    ...over,
  };
}

export const raised = (alert: Alert): AlertEvent => ({ type: 'raised', at: alert.raisedAt, alert });

export const cleared = (alert: Alert, at: string): AlertEvent => ({
  type: 'cleared',
  at,
  alert: { ...alert, active: false, clearedAt: at },
});

export async function json<T = Record<string, unknown>>(res: Response): Promise<T> {
  return (await res.json()) as T;
}
