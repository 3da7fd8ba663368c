/** The demo inbox: a webhook sink on the platform itself, so a newcomer sees notifications arrive. */
import { Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { ApiEnv } from '../api/auth.js';
import type { RouteDoc } from '../api/route-doc.js';
import { WebhookNotification } from '../api/schemas/maintenance.js';
import { IDEMPOTENCY_HEADER } from './channels/webhook.js';

/** The path the demo registry's webhook channel posts to (resolved against the platform's own address). */
export const DEMO_INBOX_HOOK = '/demo/inbox/hook';

export interface InboxMessage {
  receivedAt: string;
  id: string;
  title: string;
  text: string;
  link: string;
  step: string;
  level: string;
}

/** The newest messages, in memory only: it is a demo, and a restart empties it. */
export interface DemoInbox {
  messages(): InboxMessage[];
  routes(auth: MiddlewareHandler<ApiEnv>): Hono<ApiEnv>;
}

const KEEP = 200;

export const demoInboxDocs: RouteDoc[] = [
  {
    method: 'post',
    path: '/demo/inbox/hook',
    operationId: 'demoInboxHook',
    tag: 'notifications',
    summary: 'The demo webhook sink (only with `notify.demoInbox` in the registry)',
    description:
      'Receives what any webhook channel sends (see WebhookNotification) and shows it on the page /demo/inbox. ' +
      'A repeat with the same Idempotency-Key is shown once. For demonstrations: it needs no key.',
    body: WebhookNotification,
    public: true,
    responses: { 200: { description: 'received' } },
  },
  {
    method: 'get',
    path: '/demo/inbox/messages',
    operationId: 'demoInboxMessages',
    tag: 'notifications',
    summary: 'What the demo inbox received, newest first (at most 200, in memory)',
    responses: {
      200: { description: '`{ "items": [ { receivedAt, id, title, text, link, step, level } ] }`' },
    },
  },
];

export function createDemoInbox(clock: () => number = Date.now): DemoInbox {
  const list: InboxMessage[] = [];
  const seen = new Set<string>();
  return {
    messages: () => [...list],
    routes(auth) {
      const app = new Hono<ApiEnv>();
      // Webhook bodies are a few kilobytes; 64 KiB bounds what an anonymous poster can make us hold.
      app.post('/hook', bodyLimit({ maxSize: 64 * 1024 }), async (c) => {
        const body = (await c.req.json().catch(() => null)) as Record<string, unknown> | null;
        if (!body || typeof body.text !== 'string')
          return c.json({ error: 'expected a waterline webhook body' }, 400);
        const id = c.req.header(IDEMPOTENCY_HEADER) ?? String(body.id ?? '');
        // A message sent again after a restart carries the same key: shown once, as a receiver should.
        if (id && seen.has(id)) return c.json({ ok: true, duplicate: true });
        if (id) seen.add(id);
        list.unshift({
          receivedAt: new Date(clock()).toISOString(),
          id,
          title: String(body.title ?? ''),
          text: body.text,
          link: String(body.link ?? ''),
          step: String(body.step ?? ''),
          level: String(body.level ?? ''),
        });
        // The keys seen go with the messages kept, so an anonymous poster cannot grow them without bound.
        for (const dropped of list.splice(KEEP)) seen.delete(dropped.id);
        return c.json({ ok: true });
      });
      app.get('/messages', auth, (c) => c.json({ items: list }));
      return app;
    },
  };
}
