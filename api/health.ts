/** Liveness and readiness probes, without a key: /healthz says the process answers, /readyz that it can serve. */
import { Hono } from 'hono';
import type { TelemetryStore } from '../store/telemetry-store.js';
import type { RouteDoc } from './route-doc.js';

export interface HealthDeps {
  store: TelemetryStore;
  /** Whether the API's broker connection is up; absent when the API runs without a broker. */
  brokerConnected?: () => boolean;
  /** Why ingest in this process cannot take telemetry safely (store down and spooling, behind); null = ready. */
  ingestNotReady?: () => string | null;
}

export const healthDocs: RouteDoc[] = [
  {
    method: 'get',
    path: '/healthz',
    operationId: 'healthz',
    tag: 'operations',
    summary: 'Liveness: the process is up',
    public: true,
    responses: { 200: { description: '{"status":"ok"}' } },
  },
  {
    method: 'get',
    path: '/readyz',
    operationId: 'readyz',
    tag: 'operations',
    summary: 'Readiness: the store is reachable, ingest keeps up and the broker is connected',
    public: true,
    responses: {
      200: { description: 'ready, with each check' },
      503: { description: 'not ready, with the failing checks' },
    },
  },
];

export function healthRoutes(deps: HealthDeps): Hono {
  const app = new Hono();
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) => {
    const checks: Record<string, 'ok' | string> = {};
    try {
      await deps.store.ping();
      checks.store = 'ok';
    } catch (e) {
      checks.store = `unreachable: ${(e as Error).message}`;
    }
    if (deps.brokerConnected) checks.broker = deps.brokerConnected() ? 'ok' : 'disconnected';
    if (deps.ingestNotReady) checks.ingest = deps.ingestNotReady() ?? 'ok';
    const ready = Object.values(checks).every((v) => v === 'ok');
    return c.json({ status: ready ? 'ready' : 'not ready', checks }, ready ? 200 : 503);
  });
  return app;
}
