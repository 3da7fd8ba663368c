/** The simulated water systems: what every metric truly is at a site and time, before any sensor sees it. */
import type { Metric } from '../core/metrics.js';
import type { DeviceInfo, Registry } from '../core/registry.js';
import type { Epanet } from './epanet-run.js';
import type { Fault } from './faults.js';
import { designNetwork } from './network-design.js';
import { createSchemeModel, type NetworkFault, type SchemeModel } from './scheme-model.js';
import { createSchemeQuality, type SchemeQuality, type SiteRef } from './water-quality.js';

export interface World {
  /** The true value of a device's metric at a time (no sensor noise, no sensor faults). */
  value(device: DeviceInfo, metric: Metric, ts: number): number;
  /** Solves a scheme now rather than on its first reading. */
  prepare(schemeId: string): void;
  /** Schemes solved so far and the milliseconds spent solving them. */
  stats(): { schemes: number; solveMs: number };
}

export interface WorldDeps {
  registry: Registry;
  epanet: Epanet;
  faults: readonly Fault[];
  clock?: () => number;
  /** Healthy schemes solved before (by another world in this process), reused as they are. */
  healthy?: Map<string, SchemeModel>;
}

interface Scheme {
  hydraulics: SchemeModel;
  quality: SchemeQuality;
}

export function createWorld(deps: WorldDeps): World {
  const { registry } = deps;
  const schemes = new Map<string, Scheme>();
  const now = deps.clock ?? (() => performance.now());
  let solveMs = 0;

  const scheme = (schemeId: string): Scheme => {
    let s = schemes.get(schemeId);
    if (s) return s;
    const started = now();
    const mine = deps.faults.filter((f) => f.schemeId === schemeId);
    const net = designNetwork(registry, schemeId);
    const networkFaults: NetworkFault[] = [];
    for (const f of mine) {
      if (f.kind === 'burst') {
        const nodeId = net.nodeOfSite.get(f.siteId);
        if (nodeId)
          networkFaults.push({
            kind: 'burst',
            nodeId,
            start: f.start,
            end: f.end,
            severity: f.params.severity ?? 0.35,
          });
      } else if (f.kind === 'plant-outage')
        networkFaults.push({ kind: 'plant-outage', start: f.start, end: f.end });
      else if (f.kind === 'dosing-failure') {
        networkFaults.push({
          kind: 'dosing-failure',
          start: f.start,
          end: f.end,
          fraction: f.params.fraction ?? 0,
        });
      }
    }
    const events = mine
      .filter((f) => f.kind === 'source-turbidity')
      .map((f) => ({ start: f.start, end: f.end, peakNtu: f.params.peakNtu ?? 400 }));
    const cached = networkFaults.length === 0 ? deps.healthy?.get(schemeId) : undefined;
    const hydraulics = cached ?? createSchemeModel(deps.epanet, net, networkFaults);
    if (networkFaults.length === 0) deps.healthy?.set(schemeId, hydraulics);
    s = {
      hydraulics,
      quality: createSchemeQuality(schemeId, registry.schemes.get(schemeId)!.scale, events),
    };
    schemes.set(schemeId, s);
    solveMs += now() - started;
    return s;
  };

  return {
    value(device, metric, ts) {
      const s = scheme(device.schemeId);
      const site: SiteRef = {
        siteId: device.siteId,
        kind: device.siteKind,
        travelMs: s.hydraulics.travelMs(device.siteId),
      };
      const h = (q: 'pressure' | 'chlorine' | 'level' | 'flow') => s.hydraulics.value(q, device.siteId, ts);
      switch (metric) {
        case 'pressure':
          // A gauge at the works or a source measures pump discharge or intake head, not the network.
          return h('pressure') ?? 0.35;
        case 'flow':
          return h('flow') ?? 0;
        case 'chlorine':
          // Raw water carries no chlorine until the works doses it.
          return device.siteKind === 'source' ? 0 : (h('chlorine') ?? 0);
        case 'level':
          return h('level') ?? s.quality.sourceLevel(ts);
        case 'turbidity':
          return s.quality.turbidity(site, ts);
        case 'ph':
          return s.quality.ph(site, ts);
        case 'conductivity':
          return s.quality.conductivity(site, ts);
        case 'temperature':
          return s.quality.temperature(site, ts);
      }
    },
    prepare(schemeId) {
      scheme(schemeId);
    },
    stats: () => ({ schemes: schemes.size, solveMs }),
  };
}
