/** Writes a scheme network as an EPANET input (.inp) file: the toolkit's own, well-documented format. */
import type { SchemeNetwork } from './network-design.js';

/** A burst: a closed pipe from a junction to open air (a reservoir at ground level), opened at the burst. */
export interface BurstOutlet {
  nodeId: string;
  /** Equivalent orifice diameter, mm. */
  diameter: number;
}

export interface InpOptions {
  durationS: number;
  /** Local time of day (s) at the start, so the demand pattern lines up with the clock. */
  patternStartS: number;
  /** Demand pattern, one multiplier per `patternStepS`. */
  pattern: readonly number[];
  patternStepS: number;
  stepS: number;
  /** Pressure-driven demand (EPANET 2.2): taps deliver less as pressure falls, as they do in a burst. */
  pda: boolean;
  quality: boolean;
  bursts?: readonly BurstOutlet[];
  /** Starting tank levels (m) and chlorine (mg/L) by node id, to continue an earlier state. */
  tankLevels?: ReadonlyMap<string, number>;
  initialQuality?: ReadonlyMap<string, number>;
}

const hhmm = (s: number) => `${Math.floor(s / 3600)}:${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}`;
const f = (x: number, digits = 3) => x.toFixed(digits);

export const burstReservoirId = (nodeId: string) => `B${nodeId}`;
export const burstLinkId = (nodeId: string) => `BL${nodeId}`;

export function writeInp(net: SchemeNetwork, o: InpOptions): string {
  const out: string[] = ['[TITLE]', `scheme ${net.schemeId}`, ''];
  const section = (name: string, rows: string[]) => out.push(`[${name}]`, ...rows, '');
  const nodes = net.nodes;
  section(
    'JUNCTIONS',
    nodes
      .filter((n) => n.role === 'junction' || n.role === 'village' || n.role === 'outlet')
      .map((n) => `${n.id} ${f(n.elevation)} ${f(n.demand, 5)} D`),
  );
  const bursts = o.bursts ?? [];
  section('RESERVOIRS', [
    ...nodes.filter((n) => n.role === 'plant').map((n) => `${n.id} ${f(n.head!)}`),
    ...bursts.map(
      (b) => `${burstReservoirId(b.nodeId)} ${f(nodes.find((n) => n.id === b.nodeId)!.elevation)}`,
    ),
  ]);
  section(
    'TANKS',
    nodes
      .filter((n) => n.role === 'tank')
      .map((n) => {
        const t = n.tank!;
        const init = Math.min(t.maxLevel - 0.01, Math.max(0.01, o.tankLevels?.get(n.id) ?? t.initLevel));
        return `${n.id} ${f(n.elevation)} ${f(init)} 0 ${f(t.maxLevel)} ${f(t.diameter)} 0`;
      }),
  );
  section('PIPES', [
    ...net.links.map(
      (l) => `${l.id} ${l.from} ${l.to} ${f(l.length, 1)} ${f(l.diameter, 1)} ${l.roughness} 0 Open`,
    ),
    // Minor loss 1: an orifice discharging to air loses one velocity head.
    ...bursts.map(
      (b) =>
        `${burstLinkId(b.nodeId)} ${b.nodeId} ${burstReservoirId(b.nodeId)} 1 ${f(b.diameter, 1)} 140 1 Closed`,
    ),
  ]);
  const pattern: string[] = [];
  for (let i = 0; i < o.pattern.length; i += 8)
    pattern.push(
      `D ${o.pattern
        .slice(i, i + 8)
        .map((x) => f(x, 4))
        .join(' ')}`,
    );
  section('PATTERNS', pattern);
  if (o.quality) {
    section('REACTIONS', [
      'ORDER BULK 1',
      'ORDER WALL 1',
      `GLOBAL BULK ${f(net.chlorine.kBulk, 4)}`,
      `GLOBAL WALL ${f(net.chlorine.kWall, 4)}`,
    ]);
    // A set-point booster at the plant outlet: the dosing pump holds the residual leaving the works.
    section(
      'SOURCES',
      net.outlets.map((p) => `${p} SETPOINT ${f(net.chlorine.dose, 4)}`),
    );
    section(
      'QUALITY',
      [...(o.initialQuality ?? new Map())].map(([id, c]) => `${id} ${f(c, 5)}`),
    );
  }
  section('TIMES', [
    `DURATION ${hhmm(o.durationS)}`,
    `HYDRAULIC TIMESTEP ${hhmm(o.stepS)}`,
    'QUALITY TIMESTEP 0:05',
    `PATTERN TIMESTEP ${hhmm(o.patternStepS)}`,
    `PATTERN START ${hhmm(o.patternStartS)}`,
    `REPORT TIMESTEP ${hhmm(o.stepS)}`,
  ]);
  section('OPTIONS', [
    'UNITS CMH',
    'HEADLOSS H-W',
    `QUALITY ${o.quality ? 'CHEMICAL mg/L' : 'NONE'}`,
    'PATTERN D',
    `DEMAND MODEL ${o.pda ? 'PDA' : 'DDA'}`,
    // Full delivery from 10 m of head (0.10 MPa, the customary minimum service pressure), none at 0.
    'MINIMUM PRESSURE 0',
    'REQUIRED PRESSURE 10',
    'PRESSURE EXPONENT 0.5',
    'TRIALS 100',
    'ACCURACY 0.001',
    'UNBALANCED CONTINUE 10',
  ]);
  out.push('[END]', '');
  return out.join('\n');
}
