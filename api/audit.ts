/** The audit log: every change made through the API, by whom (a person or a key), and `GET /api/v1/audit`. */
import { Hono, type MiddlewareHandler } from 'hono';
import { z } from 'zod';
import { type ApiEnv, assertRole } from './auth.js';
import { badRequest } from './problem.js';
import type { RouteDoc } from './route-doc.js';
import { activeSession } from './session.js';
import type { UserStore } from './users.js';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Records each successful change (acknowledge, resolve, maintenance, samples, ...) after its route ran,
 * so routes added later are audited without touching them. Refused requests change nothing and are
 * not recorded here (failed sign-ins are, by the sign-in route).
 */
export function auditChanges(deps: { users: UserStore; clock: () => number }): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    await next();
    if (SAFE.has(c.req.method) || c.res.status >= 400) return;
    const key = c.get('key');
    if (!key) return;
    const path = new URL(c.req.url).pathname;
    deps.users.audit({
      at: deps.clock(),
      actor: key.id,
      via: activeSession(c) ? 'session' : 'key',
      action: `${c.req.method} ${c.req.routePath.replace(/^\/api\/v1/, '') || path}`,
      target: path,
      status: c.res.status,
    });
  };
}

const MAX_LIMIT = 1000;

export function auditRoutes(deps: { users: UserStore }): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  app.get('/', (c) => {
    assertRole(c.get('key'), ['admin'], 'read the audit log');
    const limit = intParam(c.req.query('limit'), 'limit', 100);
    if (limit < 1 || limit > MAX_LIMIT) throw badRequest('limit', `must be 1–${MAX_LIMIT}`);
    const before =
      c.req.query('before') === undefined ? undefined : intParam(c.req.query('before'), 'before', 0);
    const items = deps.users
      .listAudit({ limit, before })
      .map((e) => ({ ...e, at: new Date(e.at).toISOString() }));
    const last = items.at(-1);
    return c.json({ items, ...(items.length === limit && last ? { nextBefore: last.seq } : {}) });
  });
  return app;
}

function intParam(raw: string | undefined, name: string, fallback: number): number {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) throw badRequest(name, `must be a whole number, got "${raw}"`);
  return Number(raw);
}

const AuditQuery = z.object({
  limit: z.string().optional().describe(`entries per page, 1–${MAX_LIMIT} (default 100)`),
  before: z.string().optional().describe('only entries older than this `seq` (the `nextBefore` of a page)'),
});
const AuditList = z.object({
  items: z.array(
    z.object({
      seq: z.number().int(),
      at: z.string().describe('RFC 3339'),
      actor: z.string().describe('the person (user name) or the API key id'),
      via: z.enum(['session', 'key', 'system']),
      action: z.string().describe('`POST /alerts/:id/ack`, `sign-in`, `sign-out everywhere`, ...'),
      target: z.string().nullable(),
      status: z.number().int().nullable(),
    }),
  ),
  nextBefore: z.number().int().optional(),
});

export const auditDocs: RouteDoc[] = [
  {
    method: 'get',
    path: '/api/v1/audit',
    operationId: 'listAudit',
    tag: 'audit',
    summary: 'Who acknowledged, resolved, scheduled or changed anything, newest first',
    description: 'Every successful change through the API and every sign-in, sign-out and failed sign-in.',
    roles: ['admin'],
    query: AuditQuery,
    responses: { 200: { description: 'the entries', schema: AuditList } },
  },
];
