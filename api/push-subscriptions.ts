/** Web Push subscriptions of the board's readers: endpoint and keys, whose they are and which counties they hear. */
import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { z } from 'zod';

/** What `PushSubscription.toJSON()` gives in a browser (W3C Push API). */
export const PushSubscriptionJson = z.object({
  endpoint: z.url({ protocol: /^https?$/ }).max(2048),
  keys: z.object({
    // RFC 8291: the user agent's P-256 public key (65 bytes) and a 16-byte auth secret, base64url.
    p256dh: z.string().regex(/^[A-Za-z0-9_-]{80,100}$/, 'a base64url P-256 public key'),
    auth: z.string().regex(/^[A-Za-z0-9_-]{16,32}$/, 'a base64url 16-byte secret'),
  }),
});
export type PushSubscriptionJson = z.infer<typeof PushSubscriptionJson>;

export interface PushTarget {
  subscription: PushSubscriptionJson;
  /** The person or key that subscribed. */
  owner: string;
  /** Counties whose alerts it hears; `null` = all. */
  counties: string[] | null;
}

export interface PushSubscriptions {
  save(t: PushTarget, now: number): void;
  remove(endpoint: string): boolean;
  /** Subscriptions that hear alerts of a county. */
  forCounty(countyId: string): PushTarget[];
  close(): void;
}

export function createPushSubscriptions(path: string): PushSubscriptions {
  if (path !== ':memory:') {
    mkdirSync(dirname(path), { recursive: true });
    // The endpoints are capabilities: whoever holds one (and the keys) can notify that phone.
    closeSync(openSync(path, 'a', 0o600));
    chmodSync(path, 0o600);
  }
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  db.exec(`CREATE TABLE IF NOT EXISTS push_subscriptions (
    endpoint TEXT PRIMARY KEY, p256dh TEXT NOT NULL, auth TEXT NOT NULL, owner TEXT NOT NULL,
    counties TEXT, created_at INTEGER NOT NULL)`);
  type Row = { endpoint: string; p256dh: string; auth: string; owner: string; counties: string | null };
  const toTarget = (r: Row): PushTarget => ({
    subscription: { endpoint: r.endpoint, keys: { p256dh: r.p256dh, auth: r.auth } },
    owner: r.owner,
    counties: r.counties ? (JSON.parse(r.counties) as string[]) : null,
  });
  return {
    save(t, now) {
      db.prepare('INSERT OR REPLACE INTO push_subscriptions VALUES (?, ?, ?, ?, ?, ?)').run(
        t.subscription.endpoint,
        t.subscription.keys.p256dh,
        t.subscription.keys.auth,
        t.owner,
        t.counties ? JSON.stringify(t.counties) : null,
        now,
      );
    },
    remove: (endpoint) =>
      db.prepare('DELETE FROM push_subscriptions WHERE endpoint = ?').run(endpoint).changes > 0,
    forCounty: (countyId) =>
      db
        .prepare<[], Row>('SELECT * FROM push_subscriptions')
        .all()
        .map(toTarget)
        .filter((t) => t.counties === null || t.counties.includes(countyId)),
    close: () => db.close(),
  };
}
