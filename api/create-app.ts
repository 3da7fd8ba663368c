/** The HTTP API: a Hono app built from its dependencies, so tests call it through `app.request()`. */
import { createRequire } from 'node:module';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Logger } from 'pino';
import type { Registry as MetricsRegistry } from 'prom-client';
import type { Alert, AlertEvent } from '../core/alert.js';
import type { Registry } from '../core/registry.js';
import { type DemoInbox, demoInboxDocs } from '../notify/demo-inbox.js';
import type { MaintenanceStore } from '../notify/maintenance-store.js';
import { BadCursorError } from '../store/alert-cursor.js';
import type { TelemetryStore } from '../store/telemetry-store.js';
import { webRoutes } from '../web/routes.js';
import { createAcknowledger } from './acknowledge.js';
import { createAlertFeed } from './alert-feed.js';
import { alertStreamDocs, alertStreamRoutes } from './alert-stream.js';
import { alertDocs, alertRoutes } from './alerts.js';
import { auditChanges, auditDocs, auditRoutes } from './audit.js';
import { type ApiEnv, requireKey } from './auth.js';
import { createFailureLimiter, DEFAULT_FAILURE_LIMIT, type FailureLimiterOptions } from './auth-limiter.js';
import { coverageDocs, coverageRoutes } from './coverage.js';
import { coverageHistoryDocs, coverageHistoryRoutes } from './coverage-history-routes.js';
import { createCoverageSnapshots } from './coverage-snapshots.js';
import { deviceDocs, deviceRoutes } from './devices.js';
import { docsUiDocs, docsUiRoutes } from './docs-ui.js';
import { healthDocs, healthRoutes } from './health.js';
import { incidentDocs, incidentRoutes } from './incidents.js';
import { createLabAlerts } from './lab-alerts.js';
import { maintenanceDocs, maintenanceRoutes } from './maintenance.js';
import { createApiMetrics, metricsDocs } from './metrics.js';
import { buildOpenApi } from './openapi.js';
import { rejectRepeatedParams } from './params.js';
import { badRequest, echo, notFound, ProblemError, problemResponse } from './problem.js';
import type { PushSubscriptions } from './push-subscriptions.js';
import { reportDocs, reportRoutes } from './reports.js';
import { createResolver } from './resolve.js';
import { sampleDocs, sampleRoutes } from './samples.js';
import { serialize } from './serialize.js';
import { sessionOrKey } from './session.js';
import type { UserStore } from './users.js';
import type { WebPushChannel } from './web-push-channel.js';

export interface AppOptions {
  /** How often the alert stream polls the store (default 250 ms; CONTRACT §3 allows 1 s end to end). */
  streamPollMs: number;
  /** Interval of the stream's heartbeat comment (default 15 s). */
  heartbeatMs: number;
  /** Failed key attempts per address before 429 (default 10 a minute). */
  authFailures: FailureLimiterOptions;
  /** How old coverage counts for a window ending now may be (default 5 s, CONTRACT §6; 0 = always fresh). */
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
  /** For /readyz: why ingest in this process cannot keep its promise now (null = it can). */
  ingestNotReady?: () => string | null;
  /** Publishes an acknowledgement or a resolve on `wl/v1/alerts/{countyId}` (CONTRACT §3). */
  publishAlertEvent?: (e: AlertEvent) => void;
  /**
   * Told after a resolve is durable, with the resolved alert: the rule runner judging its device must
   * forget it (`runner.resolved(alert)`), or the next breaching Readings would raise nothing.
   */
  onAlertResolved?: (alert: Alert) => void;
  /**
   * Handed the alert stream's wake-up once the app is built: the process that stores alert events calls
   * it, so same-process events reach stream clients at once instead of at the next poll.
   */
  wakeAlertStream?: (wake: () => void) => void;
  /** More Prometheus text for /metrics (the broker's, in the all-in-one process). */
  metrics?: () => string | Promise<string>;
  /** prom-client registries served on /metrics with the API's own (broker's, ingest's), merged. */
  metricsRegistries?: readonly MetricsRegistry[];
  /** People's accounts, sessions and the audit log; without it only API keys sign in. */
  users?: UserStore;
  /**
   * Web Push: the board's subscribe routes and, with `channel`, a push of every new critical alert the
   * feed sees (until a notification dispatcher takes that over and calls `channel.send` itself).
   */
  push?: { publicKey: string; subscriptions: PushSubscriptions; channel?: WebPushChannel };
  options?: Partial<AppOptions>;
  /** Maintenance windows (the notifier's); without it the maintenance routes are absent. */
  maintenance?: MaintenanceStore;
  /** The demo webhook sink at /demo/inbox, when the registry asks for it (`notify.demoInbox`). */
  demoInbox?: DemoInbox;
}

export const APP_DEFAULTS: AppOptions = {
  streamPollMs: 250,
  heartbeatMs: 15_000,
  authFailures: DEFAULT_FAILURE_LIMIT,
  coverageMaxAgeMs: 5_000,
};

/** Largest request body accepted (see the bodyLimit middleware below). */
export const MAX_BODY_BYTES = 64 * 1024;

const VERSION = (createRequire(import.meta.url)('../package.json') as { version: string }).version;

export function createApp(deps: AppDeps): Hono {
  const opts = { ...APP_DEFAULTS, ...deps.options };
  const clock = deps.clock ?? Date.now;
  const { registry, store, log } = deps;
  const feed = createAlertFeed({ store, log, pollMs: opts.streamPollMs });
  deps.wakeAlertStream?.(() => feed.wake());
  const metrics = createApiMetrics({
    streamClients: feed.clients,
    extra: deps.metrics,
    registries: deps.metricsRegistries,
  });
  const openapi = buildOpenApi(
    [
      ...healthDocs,
      ...metricsDocs,
      ...docsUiDocs,
      ...alertDocs,
      ...alertStreamDocs,
      ...incidentDocs,
      ...coverageDocs,
      ...coverageHistoryDocs,
      ...deviceDocs,
      ...(deps.maintenance ? maintenanceDocs : []),
      ...(deps.demoInbox ? demoInboxDocs : []),
      ...sampleDocs,
      ...reportDocs,
      ...(deps.users ? auditDocs : []),
    ],
    VERSION,
  );

  // Changes to one alert (ack, resolve) run one after another in this process.
  const serial = serialize();
  const app = new Hono();
  app.use('*', metrics.middleware);
  app.use('*', rejectRepeatedParams);
  // Every body this API takes is a short JSON note; 64 KiB (the MQTT payload limit, CONTRACT §3) is far
  // above any and far below what could tie up the process. Checked as the body streams in. A lab's
  // sample file is the exception: POST /api/v1/samples applies its own 5 MiB limit (api/samples.ts).
  const smallBodies = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: (c) =>
      problemResponse(
        c,
        new ProblemError(413, 'Content Too Large', `the request body is over ${MAX_BODY_BYTES} bytes`, {
          param: 'body',
        }),
      ),
  });
  app.use('*', (c, next) => (c.req.path === '/api/v1/samples' ? next() : smallBodies(c, next)));
  app.route(
    '/',
    healthRoutes({ store, brokerConnected: deps.brokerConnected, ingestNotReady: deps.ingestNotReady }),
  );
  app.route('/', metrics.routes);
  app.route(
    '/',
    docsUiRoutes(() => openapi),
  );

  // One failed-key limiter for the API and the pages' /ui routes, so an address gets one budget of guesses.
  const keyAuth = requireKey({ registry, clock, limiter: createFailureLimiter(opts.authFailures) });
  const v1 = new Hono<ApiEnv>();
  const users = deps.users;
  // A person's session cookie or a machine's key; changes are audited either way.
  const auth = users ? sessionOrKey({ users, clock }, keyAuth) : keyAuth;
  v1.use('*', auth);
  if (users) {
    v1.use('*', auditChanges({ users, clock }));
    v1.route('/audit', auditRoutes({ users }));
  }
  // The stream before /alerts/:id, which would otherwise take "stream" for an id.
  v1.route('/alerts/stream', alertStreamRoutes({ registry, feed, log, heartbeatMs: opts.heartbeatMs }));
  v1.route(
    '/alerts',
    alertRoutes({
      registry,
      store,
      acknowledge: createAcknowledger({ store, clock, publish: deps.publishAlertEvent, serial }),
      resolve: createResolver({
        store,
        clock,
        serial,
        publish: deps.publishAlertEvent,
        resolved: deps.onAlertResolved,
      }),
    }),
  );
  v1.route('/coverage/history', coverageHistoryRoutes({ registry, store, clock }));
  v1.route('/incidents', incidentRoutes({ registry, store }));
  v1.route(
    '/coverage',
    coverageRoutes({
      registry,
      clock,
      snapshots: createCoverageSnapshots({ store, registry, clock, log, maxAgeMs: opts.coverageMaxAgeMs }),
    }),
  );
  v1.route('/devices', deviceRoutes({ registry, store, online: deps.online, clock }));
  if (deps.maintenance)
    v1.route('/maintenance', maintenanceRoutes({ registry, maintenance: deps.maintenance, clock }));
  if (deps.demoInbox) app.route('/demo/inbox', deps.demoInbox.routes(auth));
  v1.route('/reports', reportRoutes({ registry, store, clock }));
  v1.route(
    '/samples',
    sampleRoutes({
      registry,
      store,
      clock,
      labAlerts: createLabAlerts({ store, publish: deps.publishAlertEvent }),
    }),
  );
  app.route('/api/v1', v1);
  app.route(
    '/',
    webRoutes({
      registry,
      store,
      clock,
      auth,
      users,
      push: deps.push,
      demoInbox: deps.demoInbox !== undefined,
    }),
  );
  const channel = deps.push?.channel;
  if (channel) {
    void feed.subscribe(
      {
        // New critical alerts only, and none raised inside a maintenance window (they notify nobody).
        accepts: (e) =>
          e.type === 'raised' &&
          e.alert.severity === 'critical' &&
          (e.alert as { suppressed?: boolean }).suppressed !== true,
        send: async (batch) => {
          for (const { event } of batch)
            await channel.send(event).catch((err: unknown) => log.warn({ err }, 'web push'));
        },
      },
      null,
    );
  }

  app.notFound((c) => problemResponse(c, notFound(`no route ${c.req.method} ${echo(c.req.path)}`)));
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
