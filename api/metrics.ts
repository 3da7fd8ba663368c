/** Prometheus metrics of the API: request counts and latencies by route, live stream clients, and more from deps. */
import { Hono, type MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { RouteDoc } from './route-doc.js';

export interface ApiMetrics {
  middleware: MiddlewareHandler;
  routes: Hono;
}

export interface ApiMetricsDeps {
  /** Live SSE clients now. */
  streamClients: () => number;
  /** More exposition text to append (the broker's metrics in the all-in-one process). */
  extra?: () => string | Promise<string>;
  /**
   * Other components' prom-client registries (broker, ingest) served with the API's own: merged, so
   * each metric family has one HELP and one TYPE line, and a name defined twice fails at start.
   */
  registries?: readonly Registry[];
}

export const metricsDocs: RouteDoc[] = [
  {
    method: 'get',
    path: '/metrics',
    operationId: 'metrics',
    tag: 'operations',
    summary: 'Prometheus metrics (text exposition format 0.0.4)',
    public: true,
    responses: { 200: { description: 'metrics', contentType: 'text/plain; version=0.0.4' } },
  },
];

/**
 * The route label is the matched route pattern (`/api/v1/alerts/:id`), never the raw path, so ids in
 * URLs cannot multiply series; anything unmatched is one `unmatched` label.
 */
function routeLabel(c: Parameters<MiddlewareHandler>[0]): string {
  try {
    return matchedRoutes(c).find((r) => r.method !== 'ALL')?.path ?? 'unmatched';
  } catch {
    return 'unmatched';
  }
}

export function createApiMetrics(deps: ApiMetricsDeps): ApiMetrics {
  // A registry per app: several apps in one process (tests) must not share or collide.
  const registry = new Registry();
  const requests = new Counter({
    name: 'waterline_http_requests_total',
    help: 'HTTP requests by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'waterline_http_request_duration_seconds',
    help: 'Time to the response headers, by method and route',
    labelNames: ['method', 'route'] as const,
    // From 1 ms (an alert by id) to 10 s (a cold year-long coverage window).
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    registers: [registry],
  });
  new Gauge({
    name: 'waterline_alert_stream_clients',
    help: 'Clients connected to /api/v1/alerts/stream',
    registers: [registry],
    collect() {
      this.set(deps.streamClients());
    },
  });

  const middleware: MiddlewareHandler = async (c, next) => {
    const start = performance.now();
    try {
      await next();
    } finally {
      const route = routeLabel(c);
      const method = c.req.method;
      requests.inc({ method, route, status: String(c.res.status) });
      duration.observe({ method, route }, (performance.now() - start) / 1000);
    }
  };

  const routes = new Hono();
  const served = deps.registries?.length ? Registry.merge([registry, ...deps.registries]) : registry;
  routes.get('/metrics', async (c) => {
    const own = await served.metrics();
    const extra = deps.extra ? await deps.extra() : '';
    return c.body(`${own}${extra && !extra.startsWith('\n') ? '\n' : ''}${extra}`, 200, {
      'content-type': registry.contentType,
    });
  });
  return { middleware, routes };
}
