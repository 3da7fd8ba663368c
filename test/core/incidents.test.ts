import { describe, expect, it } from 'vitest';
import type { Alert, AlertEvent } from '../../core/alert.js';
import {
  type Assigned,
  assign,
  emptyIncidents,
  type IncidentState,
  restoreIncidents,
} from '../../core/incidents/assign.js';
import { summariseIncident } from '../../core/incidents/summary.js';
import { buildTopology, rootCause, type TopoSite } from '../../core/incidents/topology.js';

const T0 = Date.parse('2026-11-20T08:00:00Z');
const MIN = 60_000;

/** source → plant → res → p1 → {p2 → {t1, t3}, t2}; every site has a device but `j`, a junction feeding tj1, tj2. */
const sites: TopoSite[] = [
  { id: 'src', schemeId: 's1', countyId: 'a', monitored: true },
  { id: 'plant', upstream: 'src', schemeId: 's1', countyId: 'a', monitored: true },
  { id: 'res', upstream: 'plant', schemeId: 's1', countyId: 'a', monitored: true },
  { id: 'p1', upstream: 'res', schemeId: 's1', countyId: 'a', monitored: true },
  { id: 'p2', upstream: 'p1', schemeId: 's1', countyId: 'a', monitored: true },
  { id: 't1', upstream: 'p2', schemeId: 's1', countyId: 'a', monitored: true },
  { id: 't3', upstream: 'p2', schemeId: 's1', countyId: 'a', monitored: true },
  { id: 't2', upstream: 'p1', schemeId: 's1', countyId: 'a', monitored: true },
  { id: 'j', upstream: 'res', schemeId: 's1', countyId: 'a', monitored: false },
  { id: 'tj1', upstream: 'j', schemeId: 's1', countyId: 'a', monitored: true },
  { id: 'tj2', upstream: 'j', schemeId: 's1', countyId: 'a', monitored: true },
  { id: 'other-plant', schemeId: 's2', countyId: 'a', monitored: true },
  { id: 'other-tap', upstream: 'other-plant', schemeId: 's2', countyId: 'a', monitored: true },
];
const topo = buildTopology(sites);

function ev(
  type: AlertEvent['type'],
  site: string,
  at: number,
  o: Partial<Alert> & { device?: string } = {},
): AlertEvent {
  const device = o.device ?? `d-${site}`;
  const raisedAt = new Date(o.raisedAt ? Date.parse(o.raisedAt) : at).toISOString();
  const ruleId = o.ruleId ?? 'pressure-low';
  return {
    type,
    at: new Date(at).toISOString(),
    alert: {
      id: `${ruleId}.${device}.${Date.parse(raisedAt)}`,
      ruleId,
      kind: o.kind ?? 'threshold',
      metric: o.metric ?? 'pressure',
      deviceId: device,
      siteId: site,
      schemeId: sites.find((s) => s.id === site)?.schemeId ?? 's9',
      countyId: o.countyId ?? 'a',
      severity: o.severity ?? 'warning',
      active: type !== 'cleared',
      acknowledged: false,
      raisedAt,
      message: `${ruleId} at ${site}`,
    },
  };
}

function run(
  events: AlertEvent[],
  state: IncidentState = emptyIncidents(),
): { state: IncidentState; out: Assigned[] } {
  const out: Assigned[] = [];
  for (const e of events) {
    const r = assign(state, e, topo);
    out.push(r);
    state = r.state;
  }
  return { state, out };
}

describe('incident grouping', () => {
  it('puts alerts down a chain within the pressure window into one incident rooted at the most upstream', () => {
    const { out } = run([
      ev('raised', 't1', T0),
      ev('raised', 'p2', T0 + MIN),
      ev('raised', 'p1', T0 + 3 * MIN),
    ]);
    const ids = out.map((r) => r.event.incidentId);
    expect(new Set(ids).size).toBe(1);
    expect(out.every((r) => r.event.alert.incidentId === ids[0])).toBe(true);
    const alerts = out.map((r) => r.event.alert);
    expect(summariseIncident(ids[0]!, alerts, topo)).toMatchObject({
      kind: 'network',
      rootSiteId: 'p1',
      alertCount: 3,
    });
  });

  it('keeps sibling taps apart when the site feeding both has a device that sees nothing', () => {
    const { out } = run([ev('raised', 't1', T0), ev('raised', 't2', T0 + MIN)]);
    expect(out[0]!.event.incidentId).not.toBe(out[1]!.event.incidentId);
  });

  it('joins branches of a tree once their common upstream site alarms too', () => {
    const { out } = run([
      ev('raised', 'p2', T0),
      ev('raised', 'p1', T0 + MIN),
      ev('raised', 't2', T0 + 2 * MIN),
    ]);
    expect(new Set(out.map((r) => r.event.incidentId)).size).toBe(1);
  });

  it('roots a burst between devices at the junction with no device whose downstream taps all alarm', () => {
    const { out } = run([
      ev('raised', 'tj1', T0, { ruleId: 'pressure-drop', kind: 'rate', severity: 'critical' }),
      ev('raised', 'tj2', T0 + 30_000, { ruleId: 'pressure-drop', kind: 'rate', severity: 'critical' }),
    ]);
    const id = out[0]!.event.incidentId!;
    expect(out[1]!.event.incidentId).toBe(id);
    const inc = summariseIncident(
      id,
      out.map((r) => r.event.alert),
      topo,
    );
    expect(inc).toMatchObject({ rootSiteId: 'j', severity: 'critical', deviceCount: 2, active: true });
  });

  it('does not root at a device-less site when one of its monitored downstream sites is quiet', () => {
    expect(rootCause(topo, new Set(['tj1']))).toBe('tj1');
    expect(rootCause(topo, new Set(['tj1', 'tj2']))).toBe('j');
  });

  it('starts a new incident for a pressure alert after the window of a cleared one', () => {
    const a = ev('raised', 't1', T0);
    const { out } = run([
      a,
      { ...ev('cleared', 't1', T0 + 5 * MIN), alert: { ...a.alert, active: false } },
      ev('raised', 'p2', T0 + 40 * MIN),
    ]);
    expect(out[1]!.event.incidentId).toBe(out[0]!.event.incidentId);
    expect(out[2]!.event.incidentId).not.toBe(out[0]!.event.incidentId);
  });

  it('lets chlorine fall downstream hours later join the works incident as the water travels', () => {
    const q = { ruleId: 'chlorine-plant' as const, metric: 'chlorine' as const };
    const n = { ruleId: 'chlorine-network' as const, metric: 'chlorine' as const };
    const { out } = run([
      ev('raised', 'plant', T0, q),
      ev('raised', 'res', T0 + 90 * MIN, n),
      ev('raised', 't1', T0 + 5 * 60 * MIN, n),
    ]);
    expect(new Set(out.map((r) => r.event.incidentId)).size).toBe(1);
    expect(
      summariseIncident(
        out[0]!.event.incidentId!,
        out.map((r) => r.event.alert),
        topo,
      ).rootSiteId,
    ).toBe('plant');
  });

  it('lets chlorine falling downstream of an active outage join it, but not a new burst join a quality incident', () => {
    const chlorine = { ruleId: 'chlorine-network' as const, metric: 'chlorine' as const };
    const outage = run([ev('raised', 'p1', T0), ev('raised', 'p2', T0 + 30 * MIN, chlorine)]);
    expect(outage.out[1]!.event.incidentId).toBe(outage.out[0]!.event.incidentId);
    const dosing = run([ev('raised', 'p1', T0, chlorine), ev('raised', 'p2', T0 + MIN)]);
    expect(dosing.out[1]!.event.incidentId).not.toBe(dosing.out[0]!.event.incidentId);
  });
  it('never groups across networks that share no upstream site', () => {
    const { out } = run([
      ev('raised', 'plant', T0, { ruleId: 'pressure-low' }),
      ev('raised', 'other-tap', T0 + MIN),
    ]);
    expect(out[0]!.event.incidentId).not.toBe(out[1]!.event.incidentId);
  });

  it('keeps a stuck sensor to itself', () => {
    const { out } = run([
      ev('raised', 'p2', T0),
      ev('raised', 'p1', T0 + MIN, { ruleId: 'flatline', kind: 'flatline' }),
    ]);
    expect(out[1]!.event.incidentId).toBe(`i.${out[1]!.event.alert.id}`);
    expect(out[1]!.event.incidentId).not.toBe(out[0]!.event.incidentId);
  });

  it('tags a clear with the incident of its raise', () => {
    const a = ev('raised', 't1', T0);
    const { out } = run([a, { ...ev('cleared', 't1', T0 + MIN), alert: { ...a.alert, active: false } }]);
    expect(out[1]!.event.incidentId).toBe(out[0]!.event.incidentId);
    expect(out[1]!.event.alert.incidentId).toBe(out[0]!.event.incidentId);
  });
});

describe('communication incidents', () => {
  const stale = (i: number, county: string, at: number) =>
    ev('raised', `x${i}`, at, {
      ruleId: 'stale',
      kind: 'stale',
      metric: undefined,
      countyId: county,
      device: `d${county}${i}`,
    });

  it('makes many devices of a county falling silent together one incident, moving the first ones into it', () => {
    const events = Array.from({ length: 8 }, (_, i) => stale(i, 'a', T0 + i * 20_000));
    const { out } = run(events);
    const commId = out[4]!.event.incidentId!;
    expect(commId).toMatch(/^c\.a\./);
    expect(out.slice(4).every((r) => r.event.incidentId === commId)).toBe(true);
    // The four raised before the fifth are moved in by `grouped` events.
    expect(out[4]!.grouped.map((g) => g.alert.id).sort()).toEqual(
      out
        .slice(0, 4)
        .map((r) => r.event.alert.id)
        .sort(),
    );
    expect(out[4]!.grouped.every((g) => g.type === 'grouped' && g.alert.incidentId === commId)).toBe(true);
    const alerts = [
      ...out.slice(0, 4).map((r) => ({ ...r.event.alert, incidentId: commId })),
      ...out.slice(4).map((r) => r.event.alert),
    ];
    expect(summariseIncident(commId, alerts, topo)).toMatchObject({
      kind: 'communication',
      scope: 'a',
      deviceCount: 8,
    });
  });

  it('leaves a few unrelated silent devices as their own alerts', () => {
    const { out } = run([stale(1, 'a', T0), stale(2, 'a', T0 + 30 * MIN), stale(3, 'b', T0 + 31 * MIN)]);
    expect(new Set(out.map((r) => r.event.incidentId)).size).toBe(3);
    expect(out.every((r) => r.grouped.length === 0)).toBe(true);
  });

  it('makes a region-wide silence one incident across counties', () => {
    const events: AlertEvent[] = [];
    for (let i = 0; i < 6; i++)
      for (const c of ['a', 'b', 'c', 'd']) events.push(stale(i, c, T0 + i * 10_000 + c.charCodeAt(0)));
    const { state, out } = run(events);
    const last = out.at(-1)!.event.incidentId!;
    expect(last).toMatch(/^c\.region\./);
    // Every alert ends in the region incident, by its raise or a later `grouped` event.
    const final = new Map<string, string>();
    for (const r of out) {
      final.set(r.event.alert.id, r.event.incidentId!);
      for (const g of r.grouped) final.set(g.alert.id, g.incidentId!);
    }
    expect(new Set(final.values())).toEqual(new Set([last]));
    expect([...state.incidents.values()].filter((i) => i.active > 0)).toHaveLength(1);
  });

  it('counts devices, not alerts: a device both offline and stale is one silent device', () => {
    const both = (i: number, at: number) => [
      stale(i, 'a', at),
      ev('raised', `x${i}`, at + 1000, {
        ruleId: 'offline',
        kind: 'stale',
        metric: undefined,
        countyId: 'a',
        device: `da${i}`,
      }),
    ];
    const { out } = run([...both(1, T0), ...both(2, T0 + MIN), ...both(3, T0 + 2 * MIN)]);
    expect(out.some((r) => r.event.incidentId?.startsWith('c.'))).toBe(false);
    const more = run([0, 1, 2, 3, 4].flatMap((i) => both(i, T0 + i * MIN)));
    expect(more.out.at(-1)!.event.incidentId).toMatch(/^c\.a\./);
  });

  it('picks up where it was after a restart from the active alerts', () => {
    const { out } = run(Array.from({ length: 6 }, (_, i) => stale(i, 'a', T0 + i * 20_000)));
    const active = out
      .map((r) => r.event.alert)
      .map((a) => ({ ...a, incidentId: out.at(-1)!.event.incidentId }));
    const restored = restoreIncidents(active);
    const next = assign(restored, stale(9, 'a', T0 + 3 * MIN), topo);
    expect(next.event.incidentId).toBe(out.at(-1)!.event.incidentId);
  });
});

describe('incident grouping at scale', () => {
  // 3,000 schemes in 30 counties, each a plant feeding a pipe feeding a tap.
  const N = 3000;
  const many: TopoSite[] = [];
  for (let k = 0; k < N; k++) {
    const c = `c${k % 30}`;
    many.push({ id: `pl${k}`, schemeId: `s${k}`, countyId: c, monitored: true });
    many.push({ id: `pp${k}`, upstream: `pl${k}`, schemeId: `s${k}`, countyId: c, monitored: true });
    many.push({ id: `tp${k}`, upstream: `pp${k}`, schemeId: `s${k}`, countyId: c, monitored: true });
  }
  const big = buildTopology(many);
  const at = (site: string, t: number, o: Partial<Alert> = {}): AlertEvent => {
    const e = ev('raised', site, t, o);
    return {
      ...e,
      alert: { ...e.alert, schemeId: `s${site.slice(2)}`, countyId: `c${Number(site.slice(2)) % 30}` },
    };
  };

  it('puts each alert with its own scheme among thousands of open incidents', () => {
    let state = emptyIncidents();
    const first = new Map<number, string>();
    // An open incident in every scheme (a tap's pressure), then the pipe above each tap joins its own.
    for (let k = 0; k < N; k++) {
      const r = assign(state, at(`tp${k}`, T0 + k), big);
      state = r.state;
      first.set(k, r.event.incidentId!);
    }
    expect(new Set(first.values()).size).toBe(N);
    for (let k = N - 1; k >= 0; k--) {
      const r = assign(state, at(`pp${k}`, T0 + MIN), big);
      state = r.state;
      expect(r.event.incidentId).toBe(first.get(k));
    }
    // A quality alert at each works joins nothing hydraulic it is not connected to: in its own scheme only.
    for (let k = 0; k < N; k += 97) {
      const r = assign(
        state,
        at(`pl${k}`, T0 + 2 * MIN, { ruleId: 'chlorine-plant', metric: 'chlorine' }),
        big,
      );
      state = r.state;
      expect(r.event.incidentId).toBe(first.get(k));
    }
    expect(state.incidents.size).toBe(N);
    // Cleared and a day later forgotten: a new alert opens a new incident.
    for (let k = 0; k < N; k++) {
      for (const site of [`tp${k}`, `pp${k}`]) {
        const raisedAt = new Date(site.startsWith('tp') ? T0 + k : T0 + MIN).toISOString();
        const e = at(site, T0 + 10 * MIN, { raisedAt });
        state = assign(state, { ...e, type: 'cleared', alert: { ...e.alert, active: false } }, big).state;
      }
    }
    const late = assign(state, at('tp5', T0 + 30 * 3_600_000), big);
    expect(late.event.incidentId).not.toBe(first.get(5));
    expect(late.state.incidents.size).toBeLessThan(N);
  });
});
