/**
 * Incident pages on the SQLite store: the same pages as pageIncidents over every alert (the reference)
 * for every filter and cursor, while a first page reads about a page of alerts whatever the history.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Alert, AlertEvent } from '../../core/alert.js';
import { pageIncidents } from '../../store/incident-page.js';
import { incidentReadStats } from '../../store/sqlite/incident-reads.js';
import { createSqliteStore } from '../../store/sqlite-store.js';
import type { IncidentQuery, TelemetryStore } from '../../store/telemetry-store.js';
import { alert, HOUR, iso, MIN, NOW, raised } from './fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'wl-sqlite-incidents-'));
let n = 0;
const open = () =>
  createSqliteStore({ path: join(dir, `store-${++n}.db`), clock: () => NOW, pruneIntervalMs: 0 });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const DAY = 24 * HOUR;
const COUNTIES = ['cty-a', 'cty-b', 'cty-c', 'cty-d', 'cty-e'];

/** A deterministic generator (mulberry32), so a failure can be replayed. */
function rng(seed: number) {
  let s = seed;
  const next = () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (k: number) => Math.floor(next() * k),
    pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]!,
  };
}

/**
 * Hundreds of incidents over 60 days: single alerts without an incident id, county incidents, region-wide
 * ones across counties, some opened long ago with recent alerts, openings that tie to the minute, some
 * active, some critical; a few alerts later regrouped into another incident.
 */
function history(seed: number): AlertEvent[] {
  const r = rng(seed);
  const events: AlertEvent[] = [];
  const moved: Alert[] = [];
  let k = 0;
  for (let i = 0; i < 400; i++) {
    // Openings on a coarse grid of minutes so that several incidents open at the same time.
    const t0 = NOW - 60 * DAY + r.int(60 * 24 * 12) * 5 * MIN;
    const kind = r.int(4);
    const county = r.pick(COUNTIES);
    const id = kind === 0 ? undefined : kind === 3 ? `c.region.${t0}` : `c.${county}.${t0}.${i}`;
    const size = kind === 0 ? 1 : 1 + r.int(kind === 3 ? 40 : 15);
    // A quarter of them stay open long: their later alerts are recent, their first is old.
    const span = r.next() < 0.25 ? NOW - t0 : r.int(12) * HOUR;
    const active = r.next() < 0.3;
    const critical = r.next() < 0.4;
    for (let j = 0; j < size; j++) {
      const at = j === 0 ? t0 : t0 + r.int(Math.max(1, Math.floor(span / MIN))) * MIN;
      const a = alert(`a-${String(k++).padStart(5, '0')}`, {
        raisedAt: iso(at),
        countyId: kind === 3 ? r.pick(COUNTIES) : county,
        severity: critical && r.next() < 0.5 ? 'critical' : 'warning',
        active: active && r.next() < 0.4,
        ...(id === undefined ? {} : { incidentId: id }),
      });
      events.push(raised(a));
      if (r.next() < 0.01) moved.push(a);
    }
  }
  // Clusters of incidents opening at the very same time, their ids in another order than their alerts':
  // a scan chunk ends among them, and which of them are whole there depends on it.
  for (let c = 0; c < 3; c++) {
    const t0 = NOW - (5 + 10 * c) * DAY;
    for (let m = 0; m < 30; m++) {
      const id = `c.tie.${t0}.${String(r.int(1000)).padStart(3, '0')}-${m}`;
      for (let j = 0, size = 1 + r.int(3); j < size; j++)
        events.push(
          raised(
            alert(`a-${String(k++).padStart(5, '0')}`, {
              raisedAt: iso(t0 + (j === 0 ? 0 : r.int(3) * MIN)),
              countyId: r.pick(COUNTIES),
              severity: r.next() < 0.3 ? 'critical' : 'warning',
              active: r.next() < 0.2,
              incidentId: id,
            }),
          ),
        );
    }
  }
  for (const a of moved) {
    const to = { ...a, incidentId: `c.${a.countyId}.moved` };
    events.push({ type: 'grouped', at: iso(Date.parse(a.raisedAt) + MIN), alert: to });
  }
  return events;
}

/** Every alert as the store holds it now. */
async function allAlerts(s: TelemetryStore): Promise<Alert[]> {
  return (await s.listAlerts({ limit: 1_000_000 })).items;
}

/** Every page of a query, through the cursors each returns. */
async function walk(list: (q: IncidentQuery) => Promise<unknown>, q: IncidentQuery) {
  const pages: unknown[] = [];
  let cursor: string | undefined;
  do {
    const page = (await list({ ...q, ...(cursor === undefined ? {} : { cursor }) })) as {
      nextCursor?: string;
    };
    pages.push(page);
    cursor = page.nextCursor;
  } while (cursor !== undefined && pages.length < 1000);
  return pages;
}

const cursorAt = (at: number, id: string) => Buffer.from(JSON.stringify([at, id])).toString('base64url');

describe('sqlite incident pages', () => {
  it('pages as pageIncidents over every alert does, for every filter and cursor', async () => {
    const s = open();
    await s.appendAlertEvents(history(7));
    const all = await allAlerts(s);
    expect(all.length).toBeGreaterThan(2000);
    const incidents = pageIncidents(all, { limit: 10_000 }).items;
    expect(incidents.length).toBeGreaterThan(300);
    expect(incidents.filter((g) => g.alerts.some((a) => a.active)).length).toBeGreaterThan(50);

    const since = NOW - 20 * DAY;
    const queries: IncidentQuery[] = [];
    for (const active of [undefined, true, false])
      for (const severity of [undefined, 'warning', 'critical'] as const)
        for (const countyId of [undefined, 'cty-a'])
          for (const counties of [undefined, ['cty-a', 'cty-b'], ['cty-c'], []])
            for (const s2 of [undefined, since]) {
              const q: IncidentQuery = { limit: 25 };
              if (active !== undefined) q.active = active;
              if (severity !== undefined) q.severity = severity;
              if (countyId !== undefined) q.countyId = countyId;
              if (counties !== undefined) q.counties = counties;
              if (s2 !== undefined) q.since = s2;
              queries.push(q);
            }
    // Small pages for a few, so cursors land often, on ties among them.
    queries.push(
      { limit: 1 },
      { limit: 2 },
      { limit: 3 },
      { limit: 5 },
      { limit: 1, counties: ['cty-b'] },
      { limit: 2, countyId: 'cty-c' },
      { limit: 4, active: false, since },
    );

    for (const q of queries) {
      const got = await walk((x) => s.listIncidents(x), q);
      const want = await walk(async (x) => pageIncidents(all, x), q);
      expect(got, JSON.stringify(q)).toEqual(want);
    }

    // Cursors at arbitrary points, ties included: right at an incident's opening, and between ids.
    const points = incidents
      .filter((_, i) => i % 37 === 0)
      .flatMap((g) => {
        const at = Date.parse(g.alerts[0]!.raisedAt);
        return [cursorAt(at, g.id), cursorAt(at, `${g.id}~`), cursorAt(at + 1, ''), cursorAt(at, '')];
      });
    for (const cursor of points)
      for (const q of [
        { limit: 10 },
        { limit: 10, countyId: 'cty-b' },
        { limit: 10, severity: 'critical' as const },
      ]) {
        expect(await s.listIncidents({ ...q, cursor }), cursor).toEqual(pageIncidents(all, { ...q, cursor }));
      }
    await s.close();
  }, 120_000);

  /**
   * `k` incidents an hour apart back from NOW, each of five alerts over its first hour, the newest 10
   * still active: a longer history only adds older incidents.
   */
  async function hourly(k: number) {
    const s = open();
    const events: AlertEvent[] = [];
    for (let i = 0; i < k; i++) {
      const t0 = NOW - (i + 1) * HOUR;
      for (let j = 0; j < 5; j++)
        events.push(
          raised(
            alert(`h-${i}-${j}`, {
              raisedAt: iso(t0 + j * 10 * MIN),
              countyId: COUNTIES[i % COUNTIES.length]!,
              active: i < 10 && j === 4,
              incidentId: `c.${COUNTIES[i % COUNTIES.length]}.${t0}`,
            }),
          ),
        );
    }
    await s.appendAlertEvents(events);
    return s;
  }

  it('reads about a page of alerts for a first page, however long the history', async () => {
    const short = await hourly(300);
    const long = await hourly(3000);
    const queries: IncidentQuery[] = [
      { limit: 20 },
      { limit: 20, active: true },
      { limit: 20, countyId: 'cty-b' },
      { limit: 20, counties: ['cty-a', 'cty-c'] },
      { limit: 20, severity: 'critical', since: NOW - 100 * HOUR },
    ];
    for (const q of queries) {
      const rows = async (s: TelemetryStore) => {
        const before = incidentReadStats.rowsRead;
        const page = await s.listIncidents(q);
        return { rows: incidentReadStats.rowsRead - before, page };
      };
      const a = await rows(short);
      const b = await rows(long);
      expect(b.page, JSON.stringify(q)).toEqual(a.page);
      expect(a.page.items.length, JSON.stringify(q)).toBe(q.active ? 10 : 20);
      // The same rows whatever lies further back, and a few pages' worth: 21 incidents of 5 alerts are
      // 105, scanned, measured and loaded, plus the incidents of the chunk that ends past them; the
      // shorter history alone holds 1500 alerts.
      expect(b.rows, JSON.stringify(q)).toBe(a.rows);
      expect(a.rows, JSON.stringify(q)).toBeLessThan(800);
    }
    await short.close();
    await long.close();
  }, 60_000);
});
