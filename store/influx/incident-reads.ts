/**
 * Incidents from the alert state points (alert-state.ts), in bounded memory and without reading the
 * whole history: what the embedded store answers (store/incident-page.ts does the grouping, filtering,
 * ordering and cursors for both), from only the alerts of the incidents that can be on the page.
 *
 * An incident opens with its first alert (in the caller's scope), so each of its alerts is raised at or
 * after its opening. Pages run newest-opened first, so the state points are read newest first, a chunk
 * at a time: once the read has gone below time T, nothing unseen can open after T, and an incident seen
 * only after T is whole unless a read of its alerts between its floor (incidentFloor) and T finds one.
 * That read is made only for the incidents that may fill the page; the scan stops once a page and one
 * more are whole.
 * Alerts of those incidents outside the range read (after a cursor's point, before `since`) are then
 * read by the `incident` field, for those incidents only.
 *
 * Active incidents are found from the active alerts (few: one per device and rule at most), then read
 * by the `incident` field from their opening, which their id carries (incidentFloor): an incident opened
 * long ago and still open costs its own alerts, not the history since.
 */
import type { Alert } from '../../core/alert.js';
import { incidentOf } from '../../core/incidents/settings.js';
import { decodeIncidentCursor, pageIncidents } from '../incident-page.js';
import type { IncidentGroup, IncidentPage, IncidentQuery } from '../telemetry-store.js';
import { END, type StateReads } from './alert-state-reads.js';
import { ident, literal } from './influxql.js';

/**
 * How long before the time its id carries an alert of an incident may have been raised. `i.<alert id>`
 * carries its first alert's raisedAt; another joins only while the incident is open, raised from a
 * Reading taken after that, which is at most 30 days old (CONTRACT §3). `c.<county>.<ms>` carries the
 * raise that made it a communication failure and takes in the stale alerts of the `commGapMs` before;
 * `c.region.<ms>` takes in county ones, which would have had to run for weeks to be older. Reads that
 * tell whether an incident is whole start this far back (InfluxDB scans that range, returning only the
 * incident's rows).
 */
export const INCIDENT_LOOKBACK_MS = 31 * 86_400_000;

/**
 * The earliest time (µs) an alert of incident `id` may be at: from the epoch ms that ends ids made by
 * ingest (core/incidents/assign.ts), else 0 (an id made otherwise: read from the start).
 */
export function incidentFloor(id: string): number {
  const m = /\.(\d{12,13})$/.exec(id); // epoch ms from 2001 to 2286
  return m ? Math.max(0, (Number(m[1]) - INCIDENT_LOOKBACK_MS) * 1000) : 0;
}

export interface IncidentReads {
  incidents(q: IncidentQuery): Promise<IncidentPage>;
  incident(id: string, counties?: readonly string[]): Promise<IncidentGroup | null>;
}

const raisedMs = (a: Alert) => Date.parse(a.raisedAt);

export function createIncidentReads(states: StateReads): IncidentReads {
  const inScope = (counties: readonly string[] | undefined): string[] =>
    counties === undefined
      ? []
      : [`(${counties.map((c) => `${ident('county')} = ${literal(c)}`).join(' OR ')})`];

  /** Whether what is seen of an incident already rules it out, whatever else it holds. */
  const ruledOut = (a: Alert, q: IncidentQuery) =>
    (q.active === false && a.active) || (q.severity === 'warning' && a.severity === 'critical');

  async function incidents(q: IncidentQuery): Promise<IncidentPage> {
    const after = q.cursor === undefined ? null : decodeIncidentCursor(q.cursor); // refused before any read
    if (q.counties?.length === 0) return { items: [] };
    const scope = inScope(q.counties);
    const visible = q.counties === undefined ? null : new Set(q.counties);
    // The alerts of the best incidents whole so far: one more than a page, to know whether another follows.
    const want = q.limit + 1;
    let kept: Alert[] = [];
    const keep = (alerts: Alert[]): number => {
      const page = pageIncidents([...kept, ...alerts], { ...q, limit: want });
      kept = page.items.flatMap((g) => g.alerts);
      return page.items.length;
    };

    if (q.active === true) {
      const ids = new Set<string>();
      for (const a of await states.active()) if (!visible || visible.has(a.countyId)) ids.add(incidentOf(a));
      // A few incidents at a time, so only those and the page are held.
      const list = [...ids];
      for (let i = 0; i < list.length; i += 50) {
        const batch = list.slice(i, i + 50);
        const lo = Math.min(...batch.map(incidentFloor));
        keep(await states.ofIncidents(batch, scope, lo, END));
      }
      return pageIncidents(kept, q);
    }

    const lo = q.since === undefined ? 0 : q.since * 1000;
    const hi = after === null ? END : after.at * 1000 + 999;
    /** Incidents seen and not known whole: their alerts seen so far (by id), and the earliest raisedAt. */
    const open = new Map<string, { alerts: Map<string, Alert>; first: number }>();
    /** Incidents already ruled out: their other alerts are skipped. */
    const out = new Set<string>();
    const see = (a: Alert) => {
      const id = incidentOf(a);
      if (out.has(id)) return;
      if (ruledOut(a, q)) {
        open.delete(id);
        out.add(id);
        return;
      }
      const o = open.get(id);
      if (!o) open.set(id, { alerts: new Map([[a.id, a]]), first: raisedMs(a) });
      else {
        o.alerts.set(a.id, a);
        o.first = Math.min(o.first, raisedMs(a));
      }
    };
    /** Incidents whose alerts after a cursor's point are read (into `open`). */
    const topped = new Set<string>();
    let whole = 0;
    /**
     * Every point after `below` (µs) in the range is read: an incident whose first alert seen is after
     * it is whole unless it has one before, which only a read from its floor can tell. Those that may be
     * on the page are read so and kept when whole; false once the page and one more are.
     */
    async function settle(below: number): Promise<boolean> {
      const seenAfter = (id: string) => (open.get(id)?.first ?? Number.NEGATIVE_INFINITY) * 1000 > below;
      const alertsOf = (ids: string[]) => ids.flatMap((id) => [...open.get(id)!.alerts.values()]);
      let candidates = [...open.keys()].filter(seenAfter);
      if (hi < END) {
        const need = candidates.filter((id) => !topped.has(id));
        if (need.length > 0) for (const a of await states.ofIncidents(need, scope, hi + 1, END)) see(a);
        for (const id of need) topped.add(id);
        candidates = candidates.filter(seenAfter);
      }
      const top = pageIncidents(alertsOf(candidates), { ...q, cursor: undefined, limit: want - whole });
      const ids = top.items.map((g) => g.id);
      if (ids.length === 0) return true;
      const early = ids.filter((id) => incidentFloor(id) <= below);
      if (early.length > 0) {
        const from = Math.min(...early.map(incidentFloor));
        for (const a of await states.ofIncidents(early, scope, from, below)) see(a);
      }
      const done = ids.filter(seenAfter);
      const alerts = alertsOf(done);
      for (const id of done) open.delete(id);
      // With all of the range read, one that opened before it is out (before `since`).
      if (below < lo) for (const id of ids) open.delete(id);
      whole = keep(alerts);
      return whole < want;
    }

    await states.chunks(scope, lo, hi, async (points, last) => {
      for (const p of points) see(p.a);
      if (!last) {
        const below = points[points.length - 1]!.t;
        const candidates = [...open.values()].filter((o) => o.first * 1000 > below);
        // Worth the reads only once they may fill the page.
        const guess = pageIncidents(
          candidates.flatMap((o) => [...o.alerts.values()]),
          { ...q, cursor: undefined, limit: want },
        ).items.length;
        return whole + guess < want || settle(below);
      }
      // Nothing left to read: settle until the page is whole or no incident is left that may be on it.
      for (;;) {
        const before = open.size;
        if (!(await settle(lo - 1)) || open.size === before) return false;
      }
    });
    return pageIncidents(kept, q);
  }

  return {
    incidents,
    async incident(id, counties) {
      if (counties?.length === 0) return null;
      const list = await states.ofIncidents([id], inScope(counties), incidentFloor(id), END);
      if (list.length === 0) return null;
      return {
        id,
        alerts: list.sort((a, b) => raisedMs(a) - raisedMs(b) || (a.id < b.id ? -1 : 1)),
      };
    },
  };
}
