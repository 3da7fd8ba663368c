/**
 * The connection to an InfluxDB server: version from `GET /ping`, credentials, InfluxQL over `/query`,
 * and the database made ready (created on 1.x when missing). Every failure is a StoreError that names
 * the URL and the cause.
 */
import { StoreError } from '../telemetry-store.js';
import { ident, type QueryResponse, type Series } from './influxql.js';

export interface InfluxTarget {
  /** Base URL, no trailing slash. */
  url: string;
  /** An InfluxDB 2.x/3.x token, or `user:password` for a 1.x server with authentication. */
  token?: string;
  org?: string;
  /** A bucket (2.x/3.x), or a 1.x database as `db` or `db/rp` (CONTRACT §1). */
  bucket: string;
  timeoutMs: number;
}

export interface InfluxConnection {
  url: string;
  db: string;
  rp: string | undefined;
  version: string;
  org: string;
  /** The bucket as the 2.x write API names it (`db/rp` on 1.8). */
  bucket: string;
  /** Headers every request carries (credentials). */
  headers: Record<string, string>;
  /** The 1.x `/write` path for servers before 1.8, which lack `/api/v2/write`; null = the client's v2 path. */
  writePath(precision: 'ms' | 'us'): string | null;
  /** A measurement, qualified by the retention policy when one was named. */
  from(measurement: string): string;
  /** One InfluxQL statement against the database; its series. */
  query(q: string, epoch: 'ms' | 'u'): Promise<Series[]>;
  /** Several statements in one request (one round trip); the series of each, in order. */
  queryMany(statements: readonly string[], epoch: 'ms' | 'u'): Promise<Series[][]>;
}

/** The cause of a failed request in a few words: the socket error code, a timeout, or the HTTP status. */
export function describeCause(e: unknown, timeoutMs: number): string {
  if (!(e instanceof Error)) return String(e);
  if (e.name === 'TimeoutError' || e.name === 'RequestTimedOutError')
    return `no answer within ${timeoutMs} ms`;
  const cause = (e as { cause?: unknown }).cause;
  if (e.message === 'fetch failed' && cause instanceof Error) return describeCause(cause, timeoutMs);
  const code = (e as { code?: unknown }).code;
  return typeof code === 'string' && !e.message.includes(code) ? `${code} ${e.message}` : e.message;
}

export async function connectInflux(t: InfluxTarget): Promise<InfluxConnection> {
  const [db, rp] = splitBucket(t.bucket);
  const ping = await request(t, '/ping', { method: 'GET' }, 'is unreachable');
  const version =
    ping.headers.get('x-influxdb-version') ?? (await ping.json().catch(() => ({})))?.version ?? 'unknown';
  const [major, minor] = (/^v?(\d+)\.(\d+)/.exec(version) ?? []).slice(1).map(Number);
  const v1 = major === 1;
  const headers: Record<string, string> = {};
  if (t.token !== undefined) {
    // 1.x takes user:password as Basic credentials; 2.x and 3.x take a token (1.8 accepts both).
    headers.authorization =
      v1 && t.token.includes(':') ? `Basic ${Buffer.from(t.token).toString('base64')}` : `Token ${t.token}`;
  }
  const legacyWrite = v1 && (minor ?? 0) < 8;
  if (!v1 && !t.org) {
    throw new StoreError(`InfluxDB ${version} at ${t.url} needs an organisation (INFLUX_ORG) to write`);
  }

  const queryMany: InfluxConnection['queryMany'] = async (statements, epoch) => {
    // POST, because 1.x refuses statements that change anything (CREATE) over GET.
    const body = new URLSearchParams({ q: statements.join('; '), db, epoch });
    const res = await request(t, '/query', { method: 'POST', body, headers }, 'is unreachable');
    const json = (await res.json().catch(() => ({}))) as QueryResponse;
    if (!res.ok) throw refusal(t.url, res.status, json.error ?? res.statusText);
    const failed = json.results?.find((r) => r.error);
    if (json.error || failed) throw new StoreError(`InfluxDB at ${t.url}: ${json.error ?? failed?.error}`);
    // An empty result may come without `values` (SHOW DATABASES on a fresh 1.x server).
    return statements.map((_, i) =>
      (json.results?.[i]?.series ?? []).map((x) => ({ ...x, values: x.values ?? [] })),
    );
  };
  const conn: InfluxConnection = {
    url: t.url,
    db,
    rp,
    version,
    org: t.org ?? '',
    bucket: t.bucket,
    headers,
    writePath: (precision) =>
      legacyWrite
        ? `/write?${new URLSearchParams({ db, ...(rp ? { rp } : {}), precision: precision === 'us' ? 'u' : precision })}`
        : null,
    from: (measurement) => (rp ? `${ident(db)}.${ident(rp)}.${ident(measurement)}` : ident(measurement)),
    query: async (q, epoch) => (await queryMany([q], epoch))[0] ?? [],
    queryMany,
  };
  await (v1 ? ensureDatabase(conn) : ensureBucket(conn));
  return conn;
}

/** `db` or `db/rp`; a slash is never part of a 1.x database name. */
function splitBucket(bucket: string): [string, string | undefined] {
  const i = bucket.indexOf('/');
  return i < 0 ? [bucket, undefined] : [bucket.slice(0, i), bucket.slice(i + 1) || undefined];
}

async function request(t: InfluxTarget, path: string, init: RequestInit, what: string): Promise<Response> {
  try {
    return await fetch(`${t.url}${path}`, { ...init, signal: AbortSignal.timeout(t.timeoutMs) });
  } catch (e) {
    throw new StoreError(`InfluxDB at ${t.url} ${what}: ${describeCause(e, t.timeoutMs)}`, { cause: e });
  }
}

function refusal(url: string, status: number, detail: string): StoreError {
  const why = status === 401 || status === 403 ? 'refused the credentials' : 'refused the request';
  return new StoreError(`InfluxDB at ${url} ${why}: ${status} ${detail}`);
}

/** 1.x: the database is created when missing (CREATE DATABASE is idempotent; it needs an admin user). */
async function ensureDatabase(c: InfluxConnection): Promise<void> {
  const list = await c.query('SHOW DATABASES', 'ms');
  const names = new Set(list.flatMap((s) => s.values.map((v) => String(v[0]))));
  if (!names.has(c.db)) {
    try {
      await c.query(`CREATE DATABASE ${ident(c.db)}`, 'ms');
    } catch (e) {
      throw new StoreError(
        `InfluxDB at ${c.url}: database "${c.db}" is missing (or not readable with these credentials) and could not be created: ${(e as Error).message}`,
        { cause: e },
      );
    }
  }
  if (c.rp === undefined) return;
  const rps = await c.query(`SHOW RETENTION POLICIES ON ${ident(c.db)}`, 'ms');
  if (!rps.some((s) => s.values.some((v) => v[0] === c.rp))) {
    throw new StoreError(
      `InfluxDB at ${c.url}: retention policy "${c.rp}" does not exist on database "${c.db}"`,
    );
  }
}

/** 2.x/3.x: the bucket must exist and be readable over InfluxQL (2.4+ maps bucket `b` to database `b`). */
async function ensureBucket(c: InfluxConnection): Promise<void> {
  try {
    await c.query('SHOW MEASUREMENTS LIMIT 1', 'ms');
  } catch (e) {
    throw new StoreError(
      `InfluxDB at ${c.url}: bucket "${c.bucket}" cannot be read over InfluxQL (does it exist, with a DBRP mapping?): ${(e as Error).message}`,
      { cause: e },
    );
  }
}
