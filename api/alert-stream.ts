/** The live alert stream: Server-Sent Events, one `alert` event per AlertEvent, resumable with Last-Event-ID. */
import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { Logger } from 'pino';
import type { Registry } from '../core/registry.js';
import type { AlertFeed } from './alert-feed.js';
import { type ApiEnv, assertCounty, seesCounty } from './auth.js';
import { parseQuery } from './params.js';
import { badRequest } from './problem.js';
import type { RouteDoc } from './route-doc.js';
import { AlertStreamQuery } from './schemas/alerts.js';

export interface AlertStreamDeps {
  registry: () => Registry;
  feed: AlertFeed;
  log: Logger;
  /** Proxies and NAT close idle connections after a minute or so; a comment line keeps the stream alive. */
  heartbeatMs: number;
}

/** How long an EventSource waits before reconnecting (the SSE `retry` field). */
const RETRY_MS = 2000;

export const alertStreamDocs: RouteDoc[] = [
  {
    method: 'get',
    path: '/api/v1/alerts/stream',
    operationId: 'streamAlerts',
    tag: 'alerts',
    summary: 'Live alert events (Server-Sent Events)',
    description:
      'One `alert` event per AlertEvent, its `data` the AlertEvent JSON and its `id` the stored event ' +
      'id. Reconnect with the `Last-Event-ID` header to receive every event missed meanwhile; without ' +
      'it the stream starts now; so does an id past the newest event. A `Last-Event-ID` that is not a ' +
      'decimal integer is a 400. A `: heartbeat` comment arrives periodically. An operator key ' +
      'receives only its counties.',
    query: AlertStreamQuery,
    responses: {
      200: { description: 'text/event-stream of `alert` events', contentType: 'text/event-stream' },
    },
  },
];

export function alertStreamRoutes(deps: AlertStreamDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();

  app.get('/', async (c) => {
    const q = parseQuery(AlertStreamQuery, c.req.query());
    const key = c.get('key');
    if (q.county !== undefined) {
      if (!deps.registry().counties.has(q.county))
        throw badRequest('county', `no county "${q.county}" in the registry`);
      assertCounty(key, q.county, 'alerts');
    }
    const lastEventId = c.req.header('last-event-id')?.trim() || null;
    // Ids this API sends are decimal integers; anything else was not one of ours.
    if (lastEventId !== null && !/^\d{1,30}$/.test(lastEventId))
      throw badRequest('Last-Event-ID', 'is not an event id this stream sent (a decimal integer)');
    return streamSSE(c, async (stream) => {
      const done = new Promise<void>((resolve) => stream.onAbort(resolve));
      const subscribed = deps.feed.subscribe(
        {
          accepts: (e) =>
            seesCounty(key, e.alert.countyId) && (q.county === undefined || e.alert.countyId === q.county),
          async send(batch) {
            for (const e of batch) {
              await stream.writeSSE({ event: 'alert', id: e.id, data: JSON.stringify(e.event) });
            }
          },
        },
        lastEventId,
      );
      // A store that cannot be read ends the stream; the client reconnects after `retry` and resumes.
      const unsubscribe = await subscribed.catch((e: unknown) => {
        deps.log.warn({ err: e }, 'alert stream cannot start');
        return null;
      });
      if (!unsubscribe) return;
      // The first bytes flush the headers: once a client reads them, every later event reaches it.
      await stream.write(`retry: ${RETRY_MS}\n: connected\n\n`);
      const heartbeat = setInterval(() => void stream.write(': heartbeat\n\n'), deps.heartbeatMs);
      try {
        await done;
      } finally {
        clearInterval(heartbeat);
        unsubscribe();
      }
    });
  });

  return app;
}
