/** The hydraulic and chlorine model: a real EPANET network solved for one scheme, checked against physics. */
import { Workspace } from 'epanet-js';
import { beforeAll, describe, expect, it } from 'vitest';
import { createEpanet, type Epanet } from '../../devices-sim/epanet-run.js';
import { designNetwork } from '../../devices-sim/network-design.js';
import { createSchemeModel } from '../../devices-sim/scheme-model.js';
import { simRegistry } from './sim-registry.js';

const H = 3_600_000;
const T = Date.parse('2026-05-01T00:00:00+08:00');
const registry = simRegistry();

describe('the hydraulic model of a scheme', () => {
  let epanet: Epanet;
  beforeAll(async () => {
    epanet = await createEpanet(new Workspace());
  });

  it('keeps a healthy network within service pressure and the chlorine limits all day', () => {
    const m = createSchemeModel(epanet, designNetwork(registry, 'hill-s1'));
    const site0 = 'hill-s1-t1';
    for (let t = T; t < T + 24 * H; t += 600_000) {
      for (const site of ['hill-s1-p1', 'hill-s1-p2', 'hill-s1-p3', 'hill-s1-t1', 'hill-s1-t2']) {
        expect(m.value('pressure', site, t)).toBeGreaterThan(0.12);
        expect(m.value('pressure', site, t)).toBeLessThan(0.55);
        expect(m.value('chlorine', site, t)).toBeGreaterThan(0.1);
      }
      // Settled: the day ends where it begins, so the repeating day has no jump at midnight.
      const next = m.value('chlorine', site0, t + 24 * H)!;
      expect(Math.abs(next - m.value('chlorine', site0, t)!)).toBeLessThan(0.02);
      const plant = m.value('chlorine', 'hill-s1-plant', t)!;
      expect(plant).toBeGreaterThanOrEqual(0.6);
      expect(plant).toBeLessThanOrEqual(1.5);
    }
  });

  it('follows the diurnal demand: more flow at the 07:00 peak than at 03:00', () => {
    const m = createSchemeModel(epanet, designNetwork(registry, 'hill-s1'));
    const at = (h: number) => m.value('flow', 'hill-s1-p1', T + h * H)!;
    expect(at(7)).toBeGreaterThan(2 * at(3));
    // Head loss grows with flow, so pressure at the far tap is lower at the peak.
    expect(m.value('pressure', 'hill-s1-t1', T + 7 * H)!).toBeLessThan(
      m.value('pressure', 'hill-s1-t1', T + 3 * H)!,
    );
  });

  it('lets chlorine decay with travel time from the works', () => {
    const m = createSchemeModel(epanet, designNetwork(registry, 'hill-s1'));
    const sites = ['hill-s1-plant', 'hill-s1-res1', 'hill-s1-p1', 'hill-s1-p2', 'hill-s1-t1'];
    const mean = (site: string) => {
      let sum = 0;
      for (let h = 0; h < 24; h++) sum += m.value('chlorine', site, T + h * H)!;
      return sum / 24;
    };
    const byTravel = [...sites].sort((a, b) => m.travelMs(a) - m.travelMs(b));
    const chlorine = byTravel.map(mean);
    for (let i = 1; i < chlorine.length; i++) expect(chlorine[i]!).toBeLessThan(chlorine[i - 1]!);
    // Bulk decay alone would leave C0·exp(kb·t); wall decay only takes more.
    const net = m.net;
    const tapHours = m.travelMs('hill-s1-t1') / H;
    expect(mean('hill-s1-t1')).toBeLessThanOrEqual(
      net.chlorine.dose * Math.exp((net.chlorine.kBulk * tapHours) / 24) + 0.02,
    );
  });

  it('drops pressure downstream of a burst, far more than on another branch', () => {
    const net = designNetwork(registry, 'hill-s1');
    const p1 = net.nodeOfSite.get('hill-s1-p2')!;
    const m = createSchemeModel(epanet, net, [
      { kind: 'burst', nodeId: p1, start: T + 26 * H, end: T + 27 * H, severity: 0.35 },
    ]);
    const ratio = (site: string) =>
      m.value('pressure', site, T + 26 * H + 300_000)! / m.value('pressure', site, T + 26 * H - 300_000)!;
    expect(ratio('hill-s1-p2')).toBeLessThan(0.7);
    expect(ratio('hill-s1-t1')).toBeLessThan(0.7);
    expect(ratio('hill-s1-p3')).toBeGreaterThan(ratio('hill-s1-p2'));
    expect(m.value('flow', 'hill-s1-p2', T + 26 * H + 300_000)!).toBeGreaterThan(
      2 * m.value('flow', 'hill-s1-p2', T + 26 * H - 300_000)!,
    );
    // Repaired: back to normal pressure within the hour.
    expect(m.value('pressure', 'hill-s1-p2', T + 28 * H)!).toBeGreaterThan(0.12);
  });

  it('opens a burst at the minute it was scheduled, off the epoch five-minute grid', () => {
    const net = designNetwork(registry, 'hill-s1');
    const node = net.nodeOfSite.get('hill-s1-p2')!;
    // Two minutes past a five-minute mark: the old epoch grid would have held it until three minutes later.
    const start = T + 26 * H + 2 * 60_000;
    const m = createSchemeModel(epanet, net, [
      { kind: 'burst', nodeId: node, start, end: start + H, severity: 0.35 },
    ]);
    const before = m.value('pressure', 'hill-s1-p2', start - 10_000)!;
    expect(m.value('pressure', 'hill-s1-p2', start)! / before).toBeLessThan(0.7);
    expect(m.value('pressure', 'hill-s1-p2', start + 60_000)! / before).toBeLessThan(0.7);
  });

  it('stops the flow from the works in a plant outage and drains the tank', () => {
    const m = createSchemeModel(epanet, designNetwork(registry, 'hill-s1'), [
      { kind: 'plant-outage', start: T + 30 * H, end: T + 34 * H },
    ]);
    expect(m.value('flow', 'hill-s1-plant', T + 29.9 * H)!).toBeGreaterThan(1);
    expect(m.value('flow', 'hill-s1-plant', T + 31 * H)!).toBeLessThan(0.01);
    expect(m.value('level', 'hill-s1-res1', T + 33.9 * H)!).toBeLessThan(
      m.value('level', 'hill-s1-res1', T + 30 * H)! - 0.3,
    );
    expect(m.value('flow', 'hill-s1-plant', T + 35 * H)!).toBeGreaterThan(1);
  });

  it('loses the chlorine at the works and then downstream when dosing fails', () => {
    const m = createSchemeModel(epanet, designNetwork(registry, 'hill-s1'), [
      { kind: 'dosing-failure', start: T + 30 * H, end: T + 48 * H, fraction: 0 },
    ]);
    expect(m.value('chlorine', 'hill-s1-plant', T + 31 * H)!).toBeLessThan(0.01);
    expect(m.value('chlorine', 'hill-s1-t1', T + 47 * H)!).toBeLessThan(
      m.value('chlorine', 'hill-s1-t1', T + 29 * H)! / 2,
    );
  });
});
