/** The HTTP API: a Hono app built from its dependencies, so tests call it through `app.request()`. */
import { createRequire } from 'node:module';
import { Hono } from 'hono';
import type { Logger } from 'pino';
import type { AlertEvent } from '../core/alert.js';
import type { Registry } from '../core/registry.js';
import { BadCursorError } from '../store/alert-cursor.js';
import type { TelemetryStore } from '../store/telemetry-store.js';
import { webRoutes } from '../web/routes.js';
import { createAcknowledger } from './acknowledge.js';
import { createAlertFeed } from './alert-feed.js';
import { alertStreamDocs, alertStreamRoutes } from './alert-stream.js';
import { alertDocs, alertRoutes } from './alerts.js';
import { type ApiEnv, requireKey } from './auth.js';
import { createFailureLimiter, DEFAULT_FAILURE_LIMIT, type FailureLimiterOptions } from './auth-limiter.js';
import { coverageDocs, coverageRoutes } from './coverage.js';
import { createCoverageSnapshots } from './coverage-snapshots.js';
import { deviceDocs, deviceRoutes } from './devices.js';
import { docsUiDocs, docsUiRoutes } from './docs-ui.js';
import { healthDocs, healthRoutes } from './health.js';
import { incidentDocs, incidentRoutes } from './incidents.js';
import { createApiMetrics, metricsDocs } from './metrics.js';
import { buildOpenApi } from './openapi.js';
import { badRequest, notFound, ProblemError, problemResponse } from './problem.js';

export interface AppOptions {
  /** How often the alert stream polls the store (default 250 ms; CONTRACT §3 allows 1 s end to end). */
  streamPollMs: number;
  /** Interval of the stream's heartbeat comment (default 15 s). */
  heartbeatMs: number;
  /** Failed key attempts per address before 429 (default 10 a minute). */
  authFailures: FailureLimiterOptions;
  /** How old coverage counts for a window ending now may be (default 60 s; 0 = always fresh). */
  coverageMaxAgeMs: number;
}

export interface AppDeps {
  registry: () => Registry;
  store: TelemetryStore;
  online: (deviceId: string) => boolean;
  log: Logger;
  clock?: () => number;
  /** For /readyz: whether the API's broker connection is up. */
  brokerConnected?: () => boolean;
  /** Publishes an acknowledgement on `wl/v1/alerts/{countyId}` (CONTRACT §3). */
  publishAlertEvent?: (e: AlertEvent) => void;
  /** More Prometheus text for /metrics (the broker's, in the all-in-one process). */
  metrics?: () => string | Promise<string>;
  options?: Partial<AppOptions>;
}

const DEFAULTS: AppOptions = {
  streamPollMs: 250,
  heartbeatMs: 15_000,
  authFailures: DEFAULT_FAILURE_LIMIT,
  coverageMaxAgeMs: 60_000,
};

const VERSION = (createRequire(import.meta.url)('../package.json') as { version: string }).version;

export function createApp(deps: AppDeps): Hono {
  const opts = { ...DEFAULTS, ...deps.options };
  const clock = deps.clock ?? Date.now;
  const { registry, store, log } = deps;
  const feed = createAlertFeed({ store, log, pollMs: opts.streamPollMs });
  const metrics = createApiMetrics({ streamClients: feed.clients, extra: deps.metrics });
  const openapi = buildOpenApi(
    [
      ...healthDocs,
      ...metricsDocs,
      ...docsUiDocs,
      ...alertDocs,
      ...alertStreamDocs,
      ...incidentDocs,
      ...coverageDocs,
      ...deviceDocs,
    ],
    VERSION,
  );

  const app = new Hono();
  app.use('*', metrics.middleware);
  app.route('/', healthRoutes({ store, brokerConnected: deps.brokerConnected }));
  app.route('/', metrics.routes);
  app.route(
    '/',
    docsUiRoutes(() => openapi),
  );

  const v1 = new Hono<ApiEnv>();
  v1.use('*', requireKey({ registry, clock, limiter: createFailureLimiter(opts.authFailures) }));
  // The stream before /alerts/:id, which would otherwise take "stream" for an id.
  v1.route('/alerts/stream', alertStreamRoutes({ registry, feed, log, heartbeatMs: opts.heartbeatMs }));
  v1.route(
    '/alerts',
    alertRoutes({
      registry,
      store,
      acknowledge: createAcknowledger({ store, clock, publish: deps.publishAlertEvent }),
    }),
  );
  v1.route('/incidents', incidentRoutes({ registry, store }));
  v1.route(
    '/coverage',
    coverageRoutes({
      registry,
      snapshots: createCoverageSnapshots({ store, clock, log, maxAgeMs: opts.coverageMaxAgeMs }),
    }),
  );
  v1.route('/devices', deviceRoutes({ registry, store, online: deps.online, clock }));
  app.route('/api/v1', v1);
  app.route('/', webRoutes({ registry, store, clock }));

  app.notFound((c) => problemResponse(c, notFound(`no route ${c.req.method} ${c.req.path}`)));
  app.onError((e, c) => {
    if (e instanceof ProblemError) return problemResponse(c, e);
    if (e instanceof BadCursorError)
      return problemResponse(c, badRequest('cursor', 'is not one this API returned'));
    log.error({ err: e, path: c.req.path }, 'request failed');
    return problemResponse(
      c,
      new ProblemError(500, 'Internal Server Error', 'the request failed; see the server log'),
    );
  });
  return app;
}
