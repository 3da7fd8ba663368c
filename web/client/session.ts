/** The signed-in key and what the server says it may do, kept in sessionStorage: gone when the tab closes. */

export interface Session {
  keyId: string;
  role: 'viewer' | 'operator' | 'admin';
  canAcknowledge: boolean;
  counties: { id: string; name: string; prefecture: string }[];
  targetsYear: number;
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

export function saveSession(key: string, session: Session): void {
  sessionStorage.setItem(KEY, key);
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
