/** Calls to the JSON API with the tab's key or the person's session cookie; problem+json errors become ApiError. */
import { storedKey, storedSession, toSignIn } from './session.js';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export async function api<T>(path: string, init: RequestInit = {}, key = storedKey()): Promise<T> {
  const res = await request(path, init, key);
  return (await res.json()) as T;
}

const SAFE = new Set(['GET', 'HEAD']);

/** The raw response, for CSV and other non-JSON bodies. */
export async function request(path: string, init: RequestInit = {}, key = storedKey()): Promise<Response> {
  const headers = new Headers(init.headers);
  if (key) headers.set('authorization', `Bearer ${key}`);
  // A cookie session's changes carry its CSRF token, which no other site can read.
  const csrf = storedSession()?.csrf;
  if (!key && csrf && !SAFE.has((init.method ?? 'GET').toUpperCase())) headers.set('x-csrf-token', csrf);
  if (init.body !== undefined) headers.set('content-type', 'application/json');
  const res = await fetch(path, { ...init, headers, cache: 'no-store', credentials: 'same-origin' });
  if (res.ok) return res;
  const detail = await problemDetail(res);
  // A key or session that stopped working sends the user back to sign in, except while signing in.
  const hadSession = key ? key === storedKey() : storedSession() !== null;
  if (res.status === 401 && location.pathname !== '/' && hadSession) toSignIn('expired');
  throw new ApiError(res.status, detail);
}

async function problemDetail(res: Response): Promise<string> {
  try {
    const body = (await res.json()) as { detail?: string; title?: string };
    return body.detail ?? body.title ?? `HTTP ${res.status}`;
  } catch {
    return `HTTP ${res.status}`;
  }
}

export function postJson<T>(path: string, body: unknown): Promise<T> {
  return api<T>(path, { method: 'POST', body: JSON.stringify(body) });
}
