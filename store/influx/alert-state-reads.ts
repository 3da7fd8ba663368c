/**
 * Reads of the alert state points (alert-state.ts): by time range newest first, a chunk at a time, so a
 * page of alerts costs what it returns and never the whole history; the active ones; one alert; the
 * alerts of given incidents.
 */
import type { Alert } from '../../core/alert.js';
import { decodeCursor } from '../alert-cursor.js';
import { alertFilter, pageAlerts } from '../alert-page.js';
import type { AlertPage, AlertQuery } from '../telemetry-store.js';
import { ALERT_STATE, alertOfState } from './alert-state.js';
import type { InfluxConnection } from './connection.js';
import { ident, literal, rowsOf } from './influxql.js';

/** State points read per request when paging: a few pages' worth, so most pages take one round trip. */
const CHUNK = 500;
/** The latest time InfluxDB stores is 2262; this is 2255 in µs, later than any alert. */
export const END = Number.MAX_SAFE_INTEGER;
/** Incidents whose alerts are read in one request (one `"incident" = …` term each). */
const INCIDENTS_PER_REQUEST = 50;

/** A state point as read: its time (µs) and the alert it describes. */
export interface StatePoint {
  t: number;
  a: Alert;
}
/** Exact-point reads sent in one request when fetching the active alerts (one InfluxQL statement each). */
const STATEMENTS_PER_REQUEST = 200;

export interface StateReads {
  list(q: AlertQuery): Promise<AlertPage>;
  /** Every active alert. */
  active(): Promise<Alert[]>;
  /** The alert with this id: at its raisedAt when the id carries it (core/rules/alerts.ts), else by search. */
  byId(id: string): Promise<Alert | null>;
  /**
   * The alerts of these incidents whose state points are in [lo, hi] µs and meet the tag conditions
   * `where`, a chunk at a time.
   */
  ofIncidents(ids: readonly string[], where: string[], lo: number, hi: number): Promise<Alert[]>;
  /**
   * The state points in [lo, hi] µs meeting `where`, newest first, a chunk at a time: `visit` gets each
   * chunk (`last` when nothing older is left) and returns false to stop.
   */
  chunks(
    where: string[],
    lo: number,
    hi: number,
    visit: (points: StatePoint[], last: boolean) => Promise<boolean>,
  ): Promise<void>;
}

/** `onRows` counts the rows read, for the log's figures. */
export function createStateReads(conn: InfluxConnection, onRows: (n: number) => void): StateReads {
  const from = conn.from(ALERT_STATE);
  const decode = (series: Awaited<ReturnType<InfluxConnection['query']>>) => {
    const out: { t: number; a: Alert }[] = [];
    for (const s of series)
      for (const row of rowsOf(s)) {
        const a = alertOfState(row);
        if (a) out.push({ t: Number(row.time), a });
      }
    onRows(out.length);
    return out;
  };

  const tagIs = (tag: string, v: string) => `${ident(tag)} = ${literal(v)}`;

  /**
   * Newest first over [lo, hi] µs with the tag conditions `where`, a chunk at a time. `visit` returns
   * false to stop, or a time (µs) to narrow the rest of the scan to what is at or after it. Points of
   * one timestamp across series are continued after, by id, so a chunk boundary there skips none.
   */
  async function chunks(
    where: string[],
    lo: number,
    hi: number,
    visit: (points: StatePoint[], last: boolean) => Promise<boolean | number>,
  ): Promise<void> {
    let top = hi;
    let atTop = new Set<string>();
    for (;;) {
      const cond = [...where, `time >= ${lo}u`, `time <= ${top}u`].join(' AND ');
      const rows = decode(
        await conn.query(`SELECT * FROM ${from} WHERE ${cond} ORDER BY time DESC LIMIT ${CHUNK}`, 'u'),
      );
      const fresh = rows.filter((r) => !(r.t === top && atTop.has(r.a.id)));
      const last = rows.length < CHUNK || fresh.length === 0;
      const next = await visit(fresh, last);
      if (next === false || last) return;
      if (typeof next === 'number') lo = Math.max(lo, next);
      const end = rows[rows.length - 1]!;
      if (end.t !== top) atTop = new Set();
      for (const r of rows) if (r.t === end.t) atTop.add(r.a.id);
      top = end.t;
    }
  }

  async function ofIncidents(ids: readonly string[], where: string[], lo: number, hi: number) {
    const out: Alert[] = [];
    for (let i = 0; i < ids.length; i += INCIDENTS_PER_REQUEST) {
      const terms = ids.slice(i, i + INCIDENTS_PER_REQUEST).map((id) => tagIs('incident', id));
      await chunks([...where, `(${terms.join(' OR ')})`], lo, hi, async (points) => {
        for (const p of points) out.push(p.a);
        return true;
      });
    }
    return out;
  }

  async function active(): Promise<Alert[]> {
    // Two steps: the boolean column alone is cheap to scan (TSM packs booleans a bit each and compresses
    // runs), and the JSON bodies are then read only for the active alerts, each at its exact point.
    const flags = await conn.query(
      `SELECT "active", "county", "device", "rule" FROM ${from} WHERE "active" = true`,
      'u',
    );
    const points = flags.flatMap(rowsOf);
    onRows(points.length);
    const statements = points.map(
      (p) =>
        `SELECT * FROM ${from} WHERE ${tagIs('county', String(p.county))} AND ${tagIs('device', String(p.device))} AND ${tagIs('rule', String(p.rule))} AND time = ${Number(p.time)}u`,
    );
    const out: Alert[] = [];
    for (let i = 0; i < statements.length; i += STATEMENTS_PER_REQUEST) {
      const answers = await conn.queryMany(statements.slice(i, i + STATEMENTS_PER_REQUEST), 'u');
      for (const series of answers) for (const { a } of decode(series)) if (a.active) out.push(a);
    }
    return out;
  }

  return {
    active,
    chunks,
    ofIncidents,
    async list(q) {
      const keep = alertFilter(q); // decodes the cursor first: a bad one is refused before any read
      if (q.counties?.length === 0) return { items: [] };
      // The active ones are few (at most one per device and rule, CONTRACT §4): no scan of history.
      if (q.active === true) return pageAlerts(await active(), q);
      const where: string[] = [];
      if (q.countyId !== undefined) where.push(tagIs('county', q.countyId));
      else if (q.counties !== undefined)
        where.push(`(${q.counties.map((c) => tagIs('county', c)).join(' OR ')})`);
      if (q.deviceId !== undefined) where.push(tagIs('device', q.deviceId));
      const lo = q.since === undefined ? 0 : q.since * 1000;
      const hi = q.cursor === undefined ? END : decodeCursor(q.cursor).raisedAt * 1000 + 999;
      const picked: Alert[] = [];
      await chunks(where, lo, hi, async (points) => {
        let floor: number | undefined;
        for (const { a, t } of points) {
          if (!keep(a)) continue;
          picked.push(a);
          // Full: only alerts of the same millisecond as this one can still sort before it.
          if (picked.length > q.limit) floor = Math.max(floor ?? 0, Math.floor(t / 1000) * 1000);
        }
        return floor ?? true;
      });
      return pageAlerts(picked, q);
    },
    async byId(id) {
      const ms = /\.(\d{1,13})$/.exec(id); // epoch ms to the year 2286
      const find = async (cond: string) => {
        const rows = decode(await conn.query(`SELECT * FROM ${from} WHERE ${cond}`, 'u'));
        return rows.find((r) => r.a.id === id)?.a ?? null;
      };
      const idIs = tagIs('alert_id', id);
      if (ms) {
        const t = Number(ms[1]) * 1000;
        const hit = await find(`${idIs} AND time >= ${t}u AND time <= ${t + 999}u`);
        if (hit) return hit;
      }
      // An id not made by alertId(): a search of the `alert_id` field over all state points, one per alert.
      return find(idIs);
    },
  };
}
