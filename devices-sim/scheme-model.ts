/** One scheme's solved hydraulics and chlorine: a settled healthy day, plus a solve across its faults. */
import { DAY_MS, demandPattern, LOCAL_OFFSET_MS } from './demand-pattern.js';
import type { Epanet, SolveAction, SolveResult } from './epanet-run.js';
import { type BurstOutlet, burstLinkId } from './inp-writer.js';
import type { SchemeNetwork } from './network-design.js';
import { createRandom, hashSeed } from './random.js';
import { rowAt, sampleRow, type Timeline } from './timeline.js';

/** A fault that changes the network itself; times are epoch ms on the 5-minute grid. */
export type NetworkFault =
  | {
      kind: 'burst';
      nodeId: string;
      start: number;
      end: number /** opening ÷ bore of the main that feeds the node */;
      severity: number;
    }
  | { kind: 'plant-outage'; start: number; end: number }
  | {
      kind: 'dosing-failure';
      start: number;
      end: number /** share of the normal dose still fed */;
      fraction: number;
    };

export type Quantity = 'pressure' | 'chlorine' | 'level' | 'flow';

export interface SchemeModel {
  net: SchemeNetwork;
  /** Noise-free value at a site: pressure MPa, chlorine mg/L, tank level m, flow m³/h; undefined if not modelled. */
  value(q: Quantity, siteId: string, ts: number): number | undefined;
  /** Mean travel time from the plant to a site, ms: how late a change at the works shows there. */
  travelMs(siteId: string): number;
}

export const GRID_MS = 300_000;
const STEP_S = 300;
const PATTERN_STEP_S = 900;
/** 1 m of water column in MPa. */
const MPA_PER_M = 0.00980665;
const WARMUP_MS = DAY_MS;
const RECOVERY_MS = 36 * 3_600_000;
const BLEND_MS = 6 * 3_600_000;

export const snapToGrid = (ts: number) => Math.round(ts / GRID_MS) * GRID_MS;
const localMidnightBefore = (ts: number) =>
  Math.floor((ts + LOCAL_OFFSET_MS) / DAY_MS) * DAY_MS - LOCAL_OFFSET_MS;
const todS = (ts: number) => Math.round((((ts + LOCAL_OFFSET_MS) % DAY_MS) + DAY_MS) % DAY_MS) / 1000;

export function createSchemeModel(
  epanet: Epanet,
  net: SchemeNetwork,
  faults: readonly NetworkFault[] = [],
): SchemeModel {
  const baseline = solveBaseline(epanet, net);
  const faulted = faults.length > 0 ? solveFaults(epanet, net, baseline, faults) : null;
  const index = new Map(net.nodes.map((n, i) => [n.id, i]));
  const linkIndex = new Map(net.links.map((l, i) => [l.id, i]));
  const travel = travelTimes(net, baseline.result);

  const read = (tl: Timeline, q: Quantity, nodeId: string, ts: number): number | undefined => {
    const pos = rowAt(tl, ts);
    if (pos === null) return undefined;
    const i = index.get(nodeId)!;
    const node = net.nodes[i]!;
    const r = tl.result;
    switch (q) {
      case 'pressure':
        // A drained main on a hillside shows a vacuum in the model; a gauge there reads about zero.
        return node.role === 'tank'
          ? undefined
          : Math.max(0, sampleRow(r.pressure[i]!, r.breaks, pos) * MPA_PER_M);
      case 'level':
        return node.tank ? sampleRow(r.pressure[i]!, r.breaks, pos) : undefined;
      case 'chlorine':
        return Math.max(0, sampleRow(r.quality[i]!, r.breaks, pos));
      case 'flow': {
        // The flow arriving through the feeding main; at a plant outlet, all the works sends out.
        return node.inLink
          ? Math.abs(sampleRow(r.flow[linkIndex.get(node.inLink)!]!, r.breaks, pos))
          : undefined;
      }
    }
  };

  return {
    net,
    value(q, siteId, ts) {
      const nodeId = net.nodeOfSite.get(siteId);
      if (!nodeId) return undefined;
      const base = read(baseline, q, nodeId, ts);
      if (!faulted || base === undefined) return base;
      const f = read(faulted.timeline, q, nodeId, ts);
      if (f === undefined || ts < faulted.from) return base;
      // Hand back to the settled day gradually once the faults have long passed.
      const w = Math.min(1, Math.max(0, (faulted.until - ts) / BLEND_MS));
      return w * f + (1 - w) * base;
    },
    travelMs(siteId) {
      const nodeId = net.nodeOfSite.get(siteId);
      return nodeId ? (travel.get(nodeId) ?? 0) : 0;
    },
  };
}

/**
 * The settled healthy day, after calibration as a designer would do it: junction elevations moved so
 * pressures sit within 0.2–0.45 MPa all day, and the dose set so the farthest node keeps ≥ 0.2 mg/L.
 */
function solveBaseline(epanet: Epanet, net: SchemeNetwork): Timeline {
  const rnd = createRandom(hashSeed('calibrate', net.schemeId));
  const request = {
    durationS: 2 * 86_400,
    patternStartS: 0,
    pattern: demandPattern(PATTERN_STEP_S, 96),
    patternStepS: PATTERN_STEP_S,
    stepS: STEP_S,
    recordFromS: 86_400,
  };
  const dry = epanet.solve(net, {
    ...request,
    durationS: 86_400,
    recordFromS: 0,
    pda: false,
    quality: false,
  });
  net.nodes.forEach((n, i) => {
    if (n.role !== 'junction' && n.role !== 'village') return;
    const p = dry.pressure[i]!;
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (const x of p) {
      lo = Math.min(lo, x);
      hi = Math.max(hi, x);
    }
    // Aim the middle of the day's swing at 24–38 m; pressure follows elevation one for one at full demand.
    const target = 24 + 14 * rnd();
    n.elevation += (lo + hi) / 2 - target;
  });
  // Chlorine settles only after several journeys through the network; start it near its settled
  // value (bulk decay along the mean travel time) and give long networks more days to settle.
  const travel = travelTimes(net, dry);
  const farthest = Math.max(...travel.values()) / DAY_MS;
  const warmDays = Math.min(4, Math.max(1, Math.ceil(1.5 * farthest)));
  const settle = () => {
    const initialQuality = new Map<string, number>();
    for (const n of net.nodes) {
      if (n.role === 'plant' || n.role === 'outlet') continue;
      initialQuality.set(
        n.id,
        net.chlorine.dose * Math.exp((net.chlorine.kBulk * (travel.get(n.id) ?? 0)) / DAY_MS),
      );
    }
    const days = { durationS: (warmDays + 1) * 86_400, recordFromS: warmDays * 86_400 };
    return epanet.solve(net, { ...request, ...days, pda: true, quality: true, initialQuality });
  };
  let result = settle();
  for (let attempt = 0; attempt < 3; attempt++) {
    const low = minNetworkChlorine(net, result);
    // First-order decay is linear in the dose, so the whole chlorine field scales with it.
    const wanted = Math.min(1.5, Math.max(0.6, net.chlorine.dose * (0.25 / Math.max(low, 1e-6))));
    const scale = wanted / net.chlorine.dose;
    for (const q of result.quality) for (let k = 0; k < q.length; k++) q[k]! *= scale;
    net.chlorine.dose = wanted;
    if (low * scale >= 0.15) break;
    // Too long a journey for any permitted dose: this network's water is less reactive than guessed.
    net.chlorine.kBulk /= 2;
    net.chlorine.kWall /= 2;
    result = settle();
  }
  return { t0: localMidnightBefore(0), stepMs: GRID_MS, result, periodic: true };
}

function minNetworkChlorine(net: SchemeNetwork, r: SolveResult): number {
  let low = Number.POSITIVE_INFINITY;
  net.nodes.forEach((n, i) => {
    if (n.role === 'plant' || n.role === 'outlet') return;
    for (const x of r.quality[i]!) low = Math.min(low, x);
  });
  return Number.isFinite(low) ? low : net.chlorine.dose;
}

interface Faulted {
  timeline: Timeline;
  /** Use this solve from here (after its warm-up) ... */
  from: number;
  /** ... until here, blending back to the healthy day over the last hours. */
  until: number;
}

function solveFaults(
  epanet: Epanet,
  net: SchemeNetwork,
  baseline: Timeline,
  faults: readonly NetworkFault[],
): Faulted {
  const first = Math.min(...faults.map((f) => f.start));
  const last = Math.max(...faults.map((f) => f.end));
  // The grid starts a whole warm-up before the first fault, so that fault falls on a row exactly
  // (scenario-resolve.ts puts the others on the same grid).
  const t0 = first - WARMUP_MS;
  const onGrid = (ts: number) => t0 + Math.round((ts - t0) / GRID_MS) * GRID_MS;
  const t1 = onGrid(last + RECOVERY_MS);
  const at = (ts: number) => Math.max(0, Math.round((onGrid(ts) - t0) / 1000));
  const actions: SolveAction[] = [];
  const bursts: BurstOutlet[] = [];
  const pos = rowAt(baseline, t0)!;
  const nodeIndex = new Map(net.nodes.map((n, i) => [n.id, i]));
  for (const f of faults) {
    if (f.kind === 'burst') {
      // A split in the main feeding the node, its opening a share of the bore; PDA and the network then
      // decide how much escapes, as they would in the field.
      const node = net.nodes[nodeIndex.get(f.nodeId)!]!;
      const main = net.links.find((l) => l.id === node.inLink);
      bursts.push({ nodeId: f.nodeId, diameter: f.severity * (main?.diameter ?? 100) });
      actions.push({ atS: at(f.start), kind: 'link', linkId: burstLinkId(f.nodeId), open: true });
      actions.push({ atS: at(f.end), kind: 'link', linkId: burstLinkId(f.nodeId), open: false });
    } else if (f.kind === 'plant-outage') {
      for (const l of net.links.filter((x) => net.outlets.includes(x.to))) {
        actions.push({ atS: at(f.start), kind: 'link', linkId: l.id, open: false });
        actions.push({ atS: at(f.end), kind: 'link', linkId: l.id, open: true });
      }
    } else {
      actions.push({ atS: at(f.start), kind: 'dose', dose: net.chlorine.dose * f.fraction });
      actions.push({ atS: at(f.end), kind: 'dose', dose: net.chlorine.dose });
    }
  }
  // Start from the healthy state at that time of day: tank levels and the chlorine everywhere.
  const tankLevels = new Map<string, number>();
  const initialQuality = new Map<string, number>();
  net.nodes.forEach((n, i) => {
    if (n.tank) tankLevels.set(n.id, sampleRow(baseline.result.pressure[i]!, baseline.result.breaks, pos));
    if (n.role !== 'plant' && n.role !== 'outlet')
      initialQuality.set(n.id, sampleRow(baseline.result.quality[i]!, baseline.result.breaks, pos));
  });
  const durationS = Math.round((t1 - t0) / 1000);
  const startS = todS(t0);
  const result = epanet.solve(net, {
    durationS,
    patternStartS: startS,
    pattern: demandPattern(PATTERN_STEP_S, 96),
    patternStepS: PATTERN_STEP_S,
    stepS: STEP_S,
    pda: true,
    quality: true,
    bursts,
    actions,
    tankLevels,
    initialQuality,
  });
  return { timeline: { t0, stepMs: GRID_MS, result, periodic: false }, from: t0 + WARMUP_MS / 2, until: t1 };
}

/** Mean travel time from the works to each node: pipe volume over mean flow, plus a tank's mean residence. */
function travelTimes(net: SchemeNetwork, r: SolveResult): Map<string, number> {
  const out = new Map<string, number>();
  const mean = (a: Float32Array) => a.reduce((s, x) => s + Math.abs(x), 0) / a.length;
  const visit = (id: string, ms: number) => {
    out.set(id, ms);
    for (const l of net.links.filter((x) => x.from === id)) {
      const q = Math.max(0.05, mean(r.flow[net.links.indexOf(l)]!));
      const volume = (Math.PI * (l.diameter / 1000) ** 2 * l.length) / 4;
      const child = net.nodes.find((n) => n.id === l.to)!;
      const tank = child.tank ? (Math.PI * child.tank.diameter ** 2 * child.tank.initLevel) / 4 / q : 0;
      visit(child.id, ms + (volume / q + tank) * 3_600_000);
    }
  };
  for (const p of net.plants) visit(p, 0);
  return out;
}
