/** Signing people in and out of the pages: password sign-in, sign-out here, and sign-out everywhere. */
import { Hono, type MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { z } from 'zod';
import type { ApiEnv } from './auth.js';
import { clientAddress } from './auth.js';
import { createFailureLimiter, type FailureLimiter } from './auth-limiter.js';
import { badRequest, serviceUnavailable, tooManyRequests, unauthorized } from './problem.js';
import { activeSession, clearSessionCookie, SESSION_COOKIE, setSessionCookie } from './session.js';
import type { UserStore } from './users.js';
import { GateFullError } from './work-gate.js';

const SignIn = z.strictObject({ name: z.string().min(1).max(64), password: z.string().min(1).max(256) });

export interface SessionRoutesDeps {
  users: UserStore;
  clock: () => number;
  /** Session-or-key check for the sign-out routes (they need the CSRF token like any change). */
  auth: MiddlewareHandler<ApiEnv>;
  limiter?: FailureLimiter;
}

export function sessionRoutes(deps: SessionRoutesDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  const limiter = deps.limiter ?? createFailureLimiter();

  app.post('/sign-in', async (c) => {
    const address = clientAddress(c);
    const now = deps.clock();
    const wait = limiter.blockedFor(address, now);
    if (wait > 0)
      throw tooManyRequests(`too many failed sign-ins from this address; retry in ${wait} s`, wait);
    // JSON only: a cross-site form cannot send it without a CORS preflight this server never grants,
    // so no other site can sign a browser in under someone else's name (login CSRF).
    if (!/^application\/json\b/i.test(c.req.header('content-type') ?? ''))
      throw badRequest('content-type', 'must be application/json');
    const body = SignIn.safeParse(await c.req.json().catch(() => null));
    if (!body.success) {
      const issue = body.error.issues[0];
      throw badRequest(String(issue?.path[0] ?? 'body'), issue?.message ?? 'must be { name, password }');
    }
    const user = await deps.users.verify(body.data.name, body.data.password).catch((e: unknown) => {
      // Passwords are checked one at a time with a short queue (password.ts): a flood waits its turn or is told to retry.
      if (e instanceof GateFullError) throw serviceUnavailable('too many sign-ins at once; retry in 1 s', 1);
      throw e;
    });
    if (!user) {
      limiter.fail(address, now);
      deps.users.audit({
        at: now,
        actor: body.data.name,
        via: 'session',
        action: 'sign-in failed',
        target: null,
        status: 401,
      });
      throw unauthorized('unknown name or wrong password');
    }
    // A new session id at each sign-in, so a cookie planted before it (session fixation) is worthless.
    const old = getCookie(c, SESSION_COOKIE);
    if (old) deps.users.endSession(old);
    const s = deps.users.createSession(user.name, now);
    setSessionCookie(c, s.id, s.expiresAt, now);
    deps.users.audit({
      at: now,
      actor: user.name,
      via: 'session',
      action: 'sign-in',
      target: null,
      status: 200,
    });
    return c.json({ name: user.name, role: user.role });
  });

  app.post('/sign-out', deps.auth, (c) => {
    const s = activeSession(c);
    if (s) {
      deps.users.endSession(s.id);
      deps.users.audit(entry(deps.clock(), s.user.name, 'sign-out'));
    }
    clearSessionCookie(c);
    return c.json({ ended: s ? 1 : 0 });
  });

  app.post('/sign-out-everywhere', deps.auth, (c) => {
    const s = activeSession(c);
    if (!s) throw unauthorized('sign-out everywhere needs a signed-in person, not an API key');
    const ended = deps.users.endAllSessions(s.user.name);
    deps.users.audit(entry(deps.clock(), s.user.name, 'sign-out everywhere'));
    clearSessionCookie(c);
    return c.json({ ended });
  });

  return app;
}

const entry = (at: number, actor: string, action: string) =>
  ({ at, actor, via: 'session', action, target: null, status: 200 }) as const;
