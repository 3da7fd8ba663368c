/** The board's Web Push routes: the VAPID public key, and subscribing or unsubscribing this browser. */
import { Hono, type MiddlewareHandler } from 'hono';
import { type ApiEnv, scopeOf } from './auth.js';
import { badRequest } from './problem.js';
import { PushSubscriptionJson, type PushSubscriptions } from './push-subscriptions.js';

export interface PushRoutesDeps {
  publicKey: string;
  subscriptions: PushSubscriptions;
  auth: MiddlewareHandler<ApiEnv>;
  clock: () => number;
}

export function pushRoutes(deps: PushRoutesDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  app.use('*', deps.auth);
  app.get('/key', (c) => c.json({ publicKey: deps.publicKey }));
  app.post('/subscribe', async (c) => {
    const parsed = PushSubscriptionJson.safeParse(await c.req.json().catch(() => null));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw badRequest(issue?.path.join('.') || 'body', issue?.message ?? 'must be a PushSubscription');
    }
    const key = c.get('key');
    // It hears what its owner may see: an operator's counties, everyone else every county.
    const counties = scopeOf(key);
    deps.subscriptions.save(
      { subscription: parsed.data, owner: key.id, counties: counties ? [...counties] : null },
      deps.clock(),
    );
    return c.json({ subscribed: true, counties: counties ?? null }, 201);
  });
  app.post('/unsubscribe', async (c) => {
    const body = (await c.req.json().catch(() => null)) as { endpoint?: unknown } | null;
    if (typeof body?.endpoint !== 'string') throw badRequest('endpoint', 'is required');
    return c.json({ removed: deps.subscriptions.remove(body.endpoint) });
  });
  return app;
}
