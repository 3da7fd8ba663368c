/**
 * Incident pages from the alerts table without reading the whole history: store/incident-page.ts still
 * groups, filters, orders and pages (as for InfluxDB, store/influx/incident-reads.ts), but only over the
 * alerts of the incidents that can be on the page.
 *
 * Pages run newest-opened first. Every incident that passes the filters has a "witness" alert: one in
 * the caller's scope, raised at or after the incident opened, that passes the filters' SQL (below). So
 * the witnesses are scanned newest first (index alerts_by_time) a chunk at a time: once the scan is at
 * time B, an incident not seen yet has all its witnesses at or before B, so it opened at or before B.
 * Each incident seen is measured whole through the incident index (alerts_by_incident): its opening,
 * whether it is active, critical, in the county. Once a page and one more of incidents that pass and
 * opened after B are known, nothing unseen can come before them, and the scan stops. Only then are
 * bodies read, for those incidents alone.
 *
 * Active incidents are found through the active alerts instead (few: one per device and rule at most):
 * an incident opened long ago and still open costs its own alerts, not the history since.
 *
 * Openings come from the `raised_at` column, incident-page.ts takes them from the bodies' `raisedAt`:
 * the same, as an alert keeps the raisedAt it was raised with (the column is written on insert only).
 */
import type Database from 'better-sqlite3';
import type { Alert } from '../../core/alert.js';
import { decodeIncidentCursor, pageIncidents } from '../incident-page.js';
import type { IncidentPage, IncidentQuery } from '../telemetry-store.js';

/** An alert's incident (core/incidents/settings.ts incidentOf), as SQL over its JSON body. */
export const INCIDENT = "COALESCE(json_extract(body, '$.incidentId'), 'i.' || id)";

/**
 * Rows the incident reads went through (alerts scanned, measured or loaded; active incidents listed),
 * for tests that a page costs about its page and not the history. Only ever grows.
 */
export const incidentReadStats = { rowsRead: 0 };

/** An incident as its alerts in scope sum up: opened at `t` (ms). */
interface Measured {
  id: string;
  t: number;
  active: boolean;
  critical: boolean;
  inCounty: boolean;
}

/** SQLite binds at most 32766 parameters; incidents are measured and loaded in batches well below. */
const BATCH = 500;
/** Scan chunks, in alerts: the first is a few pages' worth, each next one twice the last. */
const MAX_CHUNK = 4096;

const marks = (n: number) => Array.from({ length: n }, () => '?').join(', ');
/** Newest opened first, ties by id descending: as incident-page.ts orders (JS string order). */
const newestFirst = (x: Measured, y: Measured) => y.t - x.t || (x.id < y.id ? 1 : x.id > y.id ? -1 : 0);

export function createIncidentReads(db: Database.Database): { incidents(q: IncidentQuery): IncidentPage } {
  const activeIncidents = (scope: string, args: string[]) =>
    db
      .prepare<unknown[], { inc: string }>(
        `SELECT DISTINCT ${INCIDENT} AS inc FROM alerts WHERE active = 1 ${scope}`,
      )
      .all(...args);

  return {
    incidents(q) {
      const after = q.cursor === undefined ? null : decodeIncidentCursor(q.cursor); // refused before any read
      if (q.counties?.length === 0) return { items: [] };
      // The caller's scope: an incident is only what it holds in these counties (incident-page.ts).
      const scope = q.counties === undefined ? '' : `AND county_id IN (${marks(q.counties.length)})`;
      const scopeArgs = q.counties === undefined ? [] : [...q.counties];
      const want = q.limit + 1;

      /** Incidents already measured (passing or not), and those that pass every filter. */
      const measured = new Set<string>();
      const passing: Measured[] = [];
      const passes = (m: Measured) =>
        (q.active === undefined || m.active === q.active) &&
        (q.severity === undefined || m.critical === (q.severity === 'critical')) &&
        (q.countyId === undefined || m.inCounty) &&
        (q.since === undefined || m.t >= q.since) &&
        (after === null || m.t < after.at || (m.t === after.at && m.id < after.id));
      /** Reads each new incident's alerts in scope through the incident index, as one row of sums. */
      const measure = (ids: Iterable<string>) => {
        const fresh = [...new Set(ids)].filter((id) => !measured.has(id));
        for (let i = 0; i < fresh.length; i += BATCH) {
          const batch = fresh.slice(i, i + BATCH);
          for (const id of batch) measured.add(id);
          const rows = db
            .prepare<
              unknown[],
              { inc: string; t: number; act: number; crit: number; here: number; n: number }
            >(
              `SELECT ${INCIDENT} AS inc, MIN(raised_at) AS t, MAX(active) AS act,
                 MAX(severity = 'critical') AS crit, MAX(county_id = ?) AS here, COUNT(*) AS n
               FROM alerts WHERE ${INCIDENT} IN (${marks(batch.length)}) ${scope} GROUP BY inc`,
            )
            .all(q.countyId ?? null, ...batch, ...scopeArgs);
          for (const r of rows) {
            incidentReadStats.rowsRead += r.n;
            const m = {
              id: r.inc,
              t: r.t,
              active: r.act === 1,
              critical: r.crit === 1,
              inCounty: r.here === 1,
            };
            if (passes(m)) passing.push(m);
          }
        }
      };

      /**
       * The witnesses, newest first. Which alerts are witnesses follows from the filters: the first alert
       * of an incident that passes is in scope, raised at or after `since`, inactive when asked for ended
       * incidents, a warning when asked for warnings; and, past a cursor, raised at or before its point.
       * For a county or critical incidents, the first alert need not be in the county or critical: the
       * witnesses are then the alerts in the county (critical ones), which follow the opening by any
       * time, so the scan cannot start at a cursor's point and runs from the newest of them.
       */
      function scan(): void {
        const where: string[] = [];
        const args: (string | number)[] = [];
        const add = (sql: string, ...v: (string | number)[]) => {
          where.push(sql);
          args.push(...v);
        };
        if (q.counties !== undefined) add(`county_id IN (${marks(q.counties.length)})`, ...q.counties);
        if (q.since !== undefined) add('raised_at >= ?', q.since);
        if (q.active === false) add('active = 0');
        if (q.severity === 'warning') add("severity <> 'critical'");
        // The critical alert and the one in the county may be two: one of them is the witness, not both.
        if (q.countyId !== undefined) add('county_id = ?', q.countyId);
        else if (q.severity === 'critical') add("severity = 'critical'");
        const base = where.length > 0 ? where.join(' AND ') : '1';
        const next = db.prepare<unknown[], { t: number; id: string; inc: string }>(
          `SELECT raised_at AS t, id, ${INCIDENT} AS inc FROM alerts
           WHERE ${base} AND (raised_at, id) < (?, ?) ORDER BY raised_at DESC, id DESC LIMIT ?`,
        );
        // Keyset on (raised_at, id), as a row value so that alerts_by_time bounds it (not a filter). It
        // starts above any time there is, or just above a cursor's point when that bounds the witnesses
        // ('' is below any id).
        const firstIsWitness = q.severity !== 'critical' && q.countyId === undefined;
        let last = { t: after !== null && firstIsWitness ? after.at + 1 : Number.MAX_SAFE_INTEGER, id: '' };
        for (let chunk = Math.min(4 * want, MAX_CHUNK); ; chunk = Math.min(2 * chunk, MAX_CHUNK)) {
          const rows = next.all(...args, last.t, last.id, chunk);
          incidentReadStats.rowsRead += rows.length;
          measure(rows.map((r) => r.inc));
          if (rows.length < chunk) return; // every witness seen
          last = rows[rows.length - 1]!;
          // Unseen incidents opened at or before last.t: those that opened after it are final.
          if (passing.filter((m) => m.t > last.t).length >= want) return;
        }
      }

      if (q.active === true) {
        const ids = activeIncidents(scope, scopeArgs);
        incidentReadStats.rowsRead += ids.length;
        measure(ids.map((r) => r.inc));
      } else scan();

      // A page and one more, so pageIncidents tells whether another page follows.
      const top = passing.sort(newestFirst).slice(0, want);
      const alerts: Alert[] = [];
      for (let i = 0; i < top.length; i += BATCH) {
        const ids = top.slice(i, i + BATCH).map((m) => m.id);
        const rows = db
          .prepare<unknown[], { body: string }>(
            `SELECT body FROM alerts WHERE ${INCIDENT} IN (${marks(ids.length)}) ${scope}`,
          )
          .all(...ids, ...scopeArgs);
        incidentReadStats.rowsRead += rows.length;
        for (const r of rows) alerts.push(JSON.parse(r.body) as Alert);
      }
      return pageIncidents(alerts, q);
    },
  };
}
