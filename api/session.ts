/** Cookie sessions for people on the pages: who the cookie names, and CSRF checks on its state changes. */
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { ApiKey } from '../core/registry-schema.js';
import type { ApiEnv } from './auth.js';
import { forbidden } from './problem.js';
import type { User, UserStore } from './users.js';

export const SESSION_COOKIE = 'wl_session';
export const CSRF_HEADER = 'x-csrf-token';

/** What a signed-in person acts as: an ApiKey-shaped identity named after them, so every route's checks apply. */
export function personAsKey(user: User): ApiKey {
  return {
    id: user.name,
    role: user.role,
    // No key stands behind a person: an all-zero digest matches no real key's hash.
    keySha256: '0'.repeat(64),
    ...(user.counties ? { counties: user.counties } : {}),
  };
}

/** Browsers keep a Secure cookie from https, and from http://localhost or 127.0.0.1 (a secure context). */
function secureContext(c: Context): boolean {
  const url = new URL(c.req.url);
  if (url.protocol === 'https:' || c.req.header('x-forwarded-proto') === 'https') return true;
  return ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
}

export function setSessionCookie(c: Context, id: string, expiresAt: number, now: number): void {
  setCookie(c, SESSION_COOKIE, id, {
    path: '/',
    httpOnly: true,
    // Strict: no other site can make the browser send it, the first defence against CSRF.
    sameSite: 'Strict',
    // Over plain http on a LAN a Secure cookie would be dropped and nobody could sign in.
    secure: secureContext(c),
    maxAge: Math.max(0, Math.floor((expiresAt - now) / 1000)),
  });
}

export function clearSessionCookie(c: Context): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/', secure: secureContext(c) });
}

export interface SessionAuthDeps {
  users: UserStore;
  clock: () => number;
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * A request with an Authorization header is a machine's: `keyAuth` checks it. Otherwise a valid
 * session cookie names a person; any state change it makes must carry the session's CSRF token
 * in `x-csrf-token` (a value no other site can read), besides the SameSite=Strict cookie.
 */
export function sessionOrKey(
  deps: SessionAuthDeps,
  keyAuth: MiddlewareHandler<ApiEnv>,
): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const id = c.req.header('authorization') ? undefined : getCookie(c, SESSION_COOKIE);
    const found = id ? deps.users.session(id, deps.clock()) : null;
    if (!found) return keyAuth(c, next);
    if (!SAFE.has(c.req.method) && c.req.header(CSRF_HEADER) !== found.csrf)
      throw forbidden(`a signed-in change needs the session's ${CSRF_HEADER} header`);
    c.set('key', personAsKey(found.user));
    (c as Context).set('session', { id: id!, csrf: found.csrf, user: found.user });
    await next();
  };
}

export interface ActiveSession {
  id: string;
  csrf: string;
  user: User;
}

/** The session the request came with, when it came with one rather than a key. */
export const activeSession = (c: Context): ActiveSession | undefined =>
  (c as Context<{ Variables: { session?: ActiveSession } }>).get('session');
