/** People who sign in to the pages: accounts, their sessions and the audit log, in a small SQLite file. */
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { z } from 'zod';
import { ROLES, type Role } from '../core/registry-schema.js';
import { DUMMY_HASH, hashPassword, verifyPassword } from './password.js';

export const UserName = z
  .string()
  .regex(/^[\p{L}\p{N}][\p{L}\p{N}._-]{0,63}$/u, 'letters, digits, ".", "_" or "-", at most 64');
export type UserName = z.infer<typeof UserName>;

export const NewUser = z.strictObject({
  name: UserName,
  // NIST SP 800-63B §3.1.1.2: at least 8 characters for a password the person chose.
  password: z.string().min(8, 'at least 8 characters').max(256),
  role: z.enum(ROLES),
  /** Operators limited to these counties; absent = all. */
  counties: z.array(z.string()).optional(),
});
export type NewUser = z.infer<typeof NewUser>;

export interface User {
  name: string;
  role: Role;
  counties?: string[];
}

export interface SessionRecord {
  user: User;
  csrf: string;
  expiresAt: number;
}

export interface AuditEntry {
  seq: number;
  at: number;
  actor: string;
  /** `session` (a person on the pages) or `key` (a machine with an API key). */
  via: 'session' | 'key' | 'system';
  action: string;
  target: string | null;
  status: number | null;
}

export interface UserStore {
  addUser(user: NewUser, opts?: { replace?: boolean }): Promise<boolean>;
  listUsers(): User[];
  /** The user when the password matches; null otherwise (unknown names take as long). */
  verify(name: string, password: string): Promise<User | null>;
  createSession(name: string, now: number): { id: string; csrf: string; expiresAt: number };
  session(id: string, now: number): SessionRecord | null;
  endSession(id: string): void;
  /** Sign-out everywhere: every session of the user; returns how many ended. */
  endAllSessions(name: string): number;
  audit(entry: Omit<AuditEntry, 'seq'>): void;
  listAudit(opts: { limit: number; before?: number }): AuditEntry[];
  close(): void;
}

/** How long a session lasts from sign-in: a working week and a weekend, so a phone stays signed in. */
export const SESSION_TTL_MS = 10 * 24 * 3600_000;

const digest = (id: string) => createHash('sha256').update(id).digest('hex');

export function createUserStore(path: string): UserStore {
  if (path !== ':memory:') {
    mkdirSync(dirname(path), { recursive: true });
    // Password hashes and session digests: readable by the owner only (SQLite gives its -wal and -shm
    // files the same mode).
    closeSync(openSync(path, 'a', 0o600));
    chmodSync(path, 0o600);
  }
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  // Several services may share the data folder (docker-compose): wait for a writer rather than fail.
  db.pragma('busy_timeout = 5000');
  db.exec(`
    CREATE TABLE IF NOT EXISTS users (
      name TEXT PRIMARY KEY, password_hash TEXT NOT NULL, role TEXT NOT NULL, counties TEXT,
      created_at INTEGER NOT NULL);
    CREATE TABLE IF NOT EXISTS sessions (
      id_sha256 TEXT PRIMARY KEY, user TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE,
      csrf TEXT NOT NULL, created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL);
    CREATE INDEX IF NOT EXISTS sessions_user ON sessions(user);
    CREATE TABLE IF NOT EXISTS audit (
      seq INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, actor TEXT NOT NULL, via TEXT NOT NULL,
      action TEXT NOT NULL, target TEXT, status INTEGER);
  `);
  type Row = { name: string; role: Role; counties: string | null; password_hash: string };
  const toUser = (r: Row): User => ({
    name: r.name,
    role: r.role,
    ...(r.counties ? { counties: JSON.parse(r.counties) as string[] } : {}),
  });
  const getUser = db.prepare<[string], Row>('SELECT * FROM users WHERE name = ?');

  return {
    async addUser(user, opts = {}) {
      const hash = await hashPassword(user.password);
      const sql = opts.replace ? 'INSERT OR REPLACE' : 'INSERT OR IGNORE';
      const r = db
        .prepare(`${sql} INTO users (name, password_hash, role, counties, created_at) VALUES (?, ?, ?, ?, ?)`)
        .run(user.name, hash, user.role, user.counties ? JSON.stringify(user.counties) : null, Date.now());
      return r.changes > 0;
    },
    listUsers: () => db.prepare<[], Row>('SELECT * FROM users ORDER BY name').all().map(toUser),
    async verify(name, password) {
      const row = getUser.get(name);
      const ok = await verifyPassword(password, row?.password_hash ?? DUMMY_HASH);
      return row && ok ? toUser(row) : null;
    },
    createSession(name, now) {
      const id = randomBytes(32).toString('base64url');
      const csrf = randomBytes(24).toString('base64url');
      const expiresAt = now + SESSION_TTL_MS;
      db.prepare('DELETE FROM sessions WHERE expires_at <= ?').run(now);
      db.prepare('INSERT INTO sessions VALUES (?, ?, ?, ?, ?)').run(digest(id), name, csrf, now, expiresAt);
      return { id, csrf, expiresAt };
    },
    session(id, now) {
      const row = db
        .prepare<[string, number], Row & { csrf: string; expires_at: number }>(
          `SELECT u.*, s.csrf, s.expires_at FROM sessions s JOIN users u ON u.name = s.user
           WHERE s.id_sha256 = ? AND s.expires_at > ?`,
        )
        .get(digest(id), now);
      return row ? { user: toUser(row), csrf: row.csrf, expiresAt: row.expires_at } : null;
    },
    endSession(id) {
      db.prepare('DELETE FROM sessions WHERE id_sha256 = ?').run(digest(id));
    },
    endAllSessions: (name) => db.prepare('DELETE FROM sessions WHERE user = ?').run(name).changes,
    audit(e) {
      db.prepare('INSERT INTO audit (at, actor, via, action, target, status) VALUES (?, ?, ?, ?, ?, ?)').run(
        e.at,
        e.actor,
        e.via,
        e.action,
        e.target,
        e.status,
      );
    },
    listAudit({ limit, before }) {
      return db
        .prepare<[number, number], AuditEntry>(
          'SELECT seq, at, actor, via, action, target, status FROM audit WHERE seq < ? ORDER BY seq DESC LIMIT ?',
        )
        .all(before ?? Number.MAX_SAFE_INTEGER, limit);
    },
    close: () => db.close(),
  };
}
