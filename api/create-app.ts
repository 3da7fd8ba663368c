/** The HTTP API: a Hono app built from its dependencies, so tests call it through `app.request()`. */
import { Hono } from 'hono';
import type { Logger } from 'pino';
import type { Registry } from '../core/registry.js';
import type { TelemetryStore } from '../store/telemetry-store.js';
import { type ApiEnv, requireKey } from './auth.js';
import { deviceRoutes } from './devices.js';
import { notFound, ProblemError, problemResponse } from './problem.js';

export interface AppDeps {
  registry: () => Registry;
  store: TelemetryStore;
  online: (deviceId: string) => boolean;
  log: Logger;
}

export function createApp(deps: AppDeps): Hono {
  const app = new Hono();

  app.get('/healthz', (c) => c.json({ status: 'ok' }));

  const v1 = new Hono<ApiEnv>();
  v1.use('*', requireKey(deps.registry));
  v1.route('/devices', deviceRoutes(deps));
  app.route('/api/v1', v1);

  app.notFound((c) => problemResponse(c, notFound(`no route ${c.req.method} ${c.req.path}`)));
  app.onError((e, c) => {
    if (e instanceof ProblemError) return problemResponse(c, e);
    deps.log.error({ err: e, path: c.req.path }, 'request failed');
    return problemResponse(
      c,
      new ProblemError(500, 'Internal Server Error', 'the request failed; see the server log'),
    );
  });
  return app;
}
