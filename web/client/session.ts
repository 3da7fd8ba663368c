/**
 * Who is signed in. A person's session is an HttpOnly cookie the script never sees (it survives new
 * tabs and reloads); a machine key typed into the form stays in sessionStorage, gone with the tab.
 * Either way the server's answer about what it may do is cached here for the tab.
 */

export interface Session {
  keyId: string;
  role: 'viewer' | 'operator' | 'admin';
  canAcknowledge: boolean;
  counties: { id: string; name: string; prefecture: string }[];
  targetsYear: number;
  /** The session's CSRF token (a person signed in with a cookie), sent back on every change. */
  csrf: string | null;
  person: boolean;
}

const KEY = 'wl.key';
const SESSION = 'wl.session';
/** Why the sign-in page was shown, read once by it. */
const REASON = 'wl.signin-reason';

export function storedKey(): string | null {
  return sessionStorage.getItem(KEY);
}

export function storedSession(): Session | null {
  const raw = sessionStorage.getItem(SESSION);
  if (!raw) return null;
  try {
    return JSON.parse(raw) as Session;
  } catch {
    return null;
  }
}

/** `key` null: a person's cookie session. */
export function saveSession(key: string | null, session: Session): void {
  if (key) sessionStorage.setItem(KEY, key);
  else sessionStorage.removeItem(KEY);
  sessionStorage.setItem(SESSION, JSON.stringify(session));
}

export function forget(reason?: 'expired'): void {
  sessionStorage.removeItem(KEY);
  sessionStorage.removeItem(SESSION);
  if (reason) sessionStorage.setItem(REASON, reason);
}

export function takeSignInReason(): string | null {
  const reason = sessionStorage.getItem(REASON);
  sessionStorage.removeItem(REASON);
  return reason;
}

/** Back to the sign-in page, remembering where to return. */
export function toSignIn(reason?: 'expired'): void {
  forget(reason);
  const next = location.pathname + location.search + location.hash;
  location.assign(`/?next=${encodeURIComponent(next)}`);
}

/** The page a role starts on: operators at the alert board, planners at coverage. */
export function homeOf(session: Session): string {
  return session.role === 'viewer' ? '/coverage' : '/alerts';
}
