/** Runs one extended-period EPANET simulation of a scheme, stepping hydraulics and chlorine together. */
import { InitHydOption, LinkProperty, NodeProperty, Project, type Workspace } from 'epanet-js';
import { type InpOptions, writeInp } from './inp-writer.js';
import type { SchemeNetwork } from './network-design.js';

/** Something that happens in the network at an elapsed time: a link opens or closes, dosing changes. */
export type SolveAction =
  | { atS: number; kind: 'link'; linkId: string; open: boolean }
  | { atS: number; kind: 'dose'; dose: number };

export interface SolveRequest extends InpOptions {
  actions?: readonly SolveAction[];
  /** Rows before this elapsed time are not kept (a warm-up). */
  recordFromS?: number;
}

/** Results on a regular grid of `stepS`: row k is the state at `recordFromS + k * stepS`. */
export interface SolveResult {
  stepS: number;
  rows: number;
  /** Per design node (same order as `net.nodes`): pressure head (m), chlorine (mg/L). */
  pressure: Float32Array[];
  quality: Float32Array[];
  /** Per design link: flow, m³/h. */
  flow: Float32Array[];
  /** 1 where an action took effect at that row: values jump there rather than ramp. */
  breaks: Uint8Array;
  /** State at the end, to continue from. */
  final: { tankLevels: Map<string, number>; quality: Map<string, number> };
}

/** One EPANET engine (WebAssembly) per process, reused for every solve. */
export interface Epanet {
  solve(net: SchemeNetwork, req: SolveRequest): SolveResult;
}

export async function createEpanet(ws: Workspace): Promise<Epanet> {
  await ws.loadModule();
  const project = new Project(ws);
  // epanet-js prints toolkit warnings (codes below 100) to the console. Negative pressures (6) are what
  // a burst or an emptied tank should produce, so they are expected here; errors still throw.
  Object.assign(project, {
    _checkError(code: number) {
      if (code >= 100) throw new Error(`EPANET error ${code}: ${ws.getError(code)}`);
    },
  });
  return {
    solve(net, req) {
      ws.writeFile('scheme.inp', writeInp(net, req));
      project.open('scheme.inp', 'scheme.rpt', '');
      try {
        return step(project, net, req);
      } finally {
        project.close();
      }
    },
  };
}

function step(p: Project, net: SchemeNetwork, req: SolveRequest): SolveResult {
  const nodeIdx = net.nodes.map((n) => p.getNodeIndex(n.id) - 1);
  const linkIdx = net.links.map((l) => p.getLinkIndex(l.id) - 1);
  const from = req.recordFromS ?? 0;
  const rows = Math.floor((req.durationS - from) / req.stepS) + 1;
  const series = (n: number) => Array.from({ length: n }, () => new Float32Array(rows));
  const result: SolveResult = {
    stepS: req.stepS,
    rows,
    pressure: series(net.nodes.length),
    quality: series(net.nodes.length),
    flow: series(net.links.length),
    breaks: new Uint8Array(rows),
    final: { tankLevels: new Map(), quality: new Map() },
  };
  const actions = [...(req.actions ?? [])].sort((a, b) => a.atS - b.atS);
  const outlets = net.outlets.map((id) => p.getNodeIndex(id));
  p.openH();
  p.initH(InitHydOption.NoSave);
  if (req.quality) {
    p.openQ();
    p.initQ(InitHydOption.NoSave);
  }
  let t = 0;
  let next = 0;
  let tstep = 0;
  do {
    let acted = false;
    // Applied before the solve at t (the time this runH will solve), so the row at t shows the change.
    while (next < actions.length && actions[next]!.atS <= t) {
      const a = actions[next++]!;
      acted = true;
      if (a.kind === 'link') p.setLinkValue(p.getLinkIndex(a.linkId), LinkProperty.Status, a.open ? 1 : 0);
      // A zero strength would switch the booster off and leave its last output in place; a trace stops it.
      else for (const i of outlets) p.setNodeValue(i, NodeProperty.SourceQual, Math.max(1e-6, a.dose));
    }
    t = p.runH();
    if (req.quality) p.runQ();
    if (t >= from && t % req.stepS === 0) {
      const row = (t - from) / req.stepS;
      if (row < rows) record(p, result, row, nodeIdx, linkIdx, req.quality);
      if (acted && row < rows) result.breaks[row] = 1;
    }
    tstep = p.nextH();
    if (req.quality) p.nextQ();
    t += tstep;
  } while (tstep > 0);
  const heads = p.getNodeValues(NodeProperty.Head);
  const quality = req.quality ? p.getNodeValues(NodeProperty.Quality) : [];
  net.nodes.forEach((n, i) => {
    if (n.tank) result.final.tankLevels.set(n.id, heads[nodeIdx[i]!]! - n.elevation);
    if (req.quality) result.final.quality.set(n.id, quality[nodeIdx[i]!]!);
  });
  if (req.quality) p.closeQ();
  p.closeH();
  return result;
}

function record(
  p: Project,
  r: SolveResult,
  row: number,
  nodeIdx: readonly number[],
  linkIdx: readonly number[],
  quality: boolean,
): void {
  const pressure = p.getNodeValues(NodeProperty.Pressure);
  nodeIdx.forEach((k, i) => {
    r.pressure[i]![row] = pressure[k]!;
  });
  if (quality) {
    const q = p.getNodeValues(NodeProperty.Quality);
    nodeIdx.forEach((k, i) => {
      r.quality[i]![row] = q[k]!;
    });
  }
  const flow = p.getLinkValues(LinkProperty.Flow);
  linkIdx.forEach((k, i) => {
    r.flow[i]![row] = flow[k]!;
  });
}
