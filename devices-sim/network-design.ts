/** A plausible hydraulic network for one scheme, laid out from the registry's supply topology. */
import type { Registry } from '../core/registry.js';
import type { Site } from '../core/registry-schema.js';
import { LOSS_FACTOR, PER_CAPITA_L_PER_DAY } from './demand-pattern.js';
import { between, createRandom, hashSeed } from './random.js';

/** `plant`: the works' clear well and pumps (a fixed grade); `outlet`: where treated water leaves, dosed. */
export type NodeRole = 'plant' | 'outlet' | 'tank' | 'junction' | 'village';

export interface TankSpec {
  /** Water depth limits and start, m above the tank floor. */
  maxLevel: number;
  initLevel: number;
  diameter: number;
}

export interface DesignNode {
  /** EPANET id (short: EPANET ids are at most 31 characters, site ids up to 64). */
  id: string;
  siteId: string | null;
  role: NodeRole;
  /** Ground (junction), floor (tank) or outlet (plant) elevation, m above sea level. */
  elevation: number;
  /** Mean demand, m³/h (pattern multipliers average 1 over the day). */
  demand: number;
  /** Plant and outlet: the hydraulic grade the high-lift pumps hold, m. */
  head?: number;
  tank?: TankSpec;
  parent: string | null;
  /** The link that feeds this node from its parent. */
  inLink: string | null;
}

export interface DesignLink {
  id: string;
  from: string;
  to: string;
  length: number;
  /** Inside diameter, mm. */
  diameter: number;
  /** Hazen–Williams C. */
  roughness: number;
}

export interface Chlorination {
  /** Free chlorine leaving the plant, mg/L. */
  dose: number;
  /** First-order bulk decay, 1/day (negative). */
  kBulk: number;
  /** First-order wall decay, m/day (negative). */
  kWall: number;
}

export interface SchemeNetwork {
  schemeId: string;
  nodes: DesignNode[];
  links: DesignLink[];
  nodeOfSite: ReadonlyMap<string, string>;
  /** The works (fixed-grade reservoirs) and their outlets (where chlorine is dosed and flow metered). */
  plants: string[];
  outlets: string[];
  chlorine: Chlorination;
  /** Mean demand of the whole scheme, m³/h. */
  meanDemand: number;
}

/** New plastic (PE/PVC) and cement-lined ductile iron mains: C ≈ 130–140 (EPANET 2.2 manual, Table 3.2). */
const HW_C = 130;
/** Design velocity at the peak hour, m/s; rural mains are sized for 0.6–1.0 m/s. */
const PEAK_VELOCITY = 0.7;
/** Head loss allowed at the peak hour, m per m of main: long village mains are sized by gradient, not speed. */
const PEAK_GRADIENT = 0.003;
const PEAK_FACTOR = 2;
/** Storage ~35 % of a day's demand: SL 310-2019 asks for 20–40 % of the maximum daily use in village schemes. */
const STORAGE_SHARE = 0.35;
const HYDRAULIC_KINDS = new Set(['plant', 'reservoir', 'pipe', 'tap']);

/** Hazen–Williams: the diameter (m) carrying q m³/s with a head loss of h m over l m. */
function hwDiameter(q: number, h: number, l: number, c = HW_C): number {
  return ((10.67 * l * q ** 1.852) / (c ** 1.852 * h)) ** (1 / 4.87);
}

/** The next standard PE/DI inside diameter (mm) at or above `mm`. */
function standardDiameter(mm: number): number {
  const sizes = [50, 63, 75, 90, 110, 125, 160, 200, 250, 315, 400, 500, 600, 800];
  return sizes.find((s) => s >= mm) ?? Math.ceil(mm / 100) * 100;
}

export function designNetwork(registry: Registry, schemeId: string): SchemeNetwork {
  const scheme = registry.schemes.get(schemeId);
  if (!scheme) throw new Error(`unknown scheme ${schemeId}`);
  const rnd = createRandom(hashSeed('network', schemeId));
  const sites = registry.file.sites.filter((s) => s.scheme === schemeId && HYDRAULIC_KINDS.has(s.kind));
  const byId = new Map(registry.file.sites.map((s) => [s.id, s]));
  const nodes: DesignNode[] = [];
  const links: DesignLink[] = [];
  const nodeOfSite = new Map<string, string>();
  const add = (n: Omit<DesignNode, 'id' | 'inLink' | 'elevation' | 'demand'>) => {
    const node: DesignNode = { ...n, id: `N${nodes.length + 1}`, elevation: 0, demand: 0, inLink: null };
    nodes.push(node);
    if (n.siteId) nodeOfSite.set(n.siteId, node.id);
    return node;
  };

  // Each works is a clear well (fixed grade) and an outlet junction: the outlet is the plant site.
  const addPlant = (siteId: string | null) => {
    const well = add({ siteId: null, role: 'plant', parent: null });
    add({ siteId, role: 'outlet', parent: well.id });
  };
  for (const s of sites) {
    if (s.kind === 'plant') addPlant(s.id);
    else add({ siteId: s.id, role: s.kind === 'reservoir' ? 'tank' : 'junction', parent: null });
  }
  if (!nodes.some((n) => n.role === 'plant')) addPlant(null);
  const plants = nodes.filter((n) => n.role === 'plant');
  const outlets = nodes.filter((n) => n.role === 'outlet');
  // The hydraulic parent: the nearest upstream site that is a network node; else the first plant.
  const parentOf = (s: Site): string => {
    let up = s.upstream ? byId.get(s.upstream) : undefined;
    for (let hops = 0; up && hops < 64; hops++) {
      const id = nodeOfSite.get(up.id);
      if (id) return id;
      up = up.upstream ? byId.get(up.upstream) : undefined;
    }
    return outlets[0]!.id;
  };
  for (const s of sites) {
    const node = nodes.find((n) => n.siteId === s.id)!;
    if (node.role !== 'outlet') node.parent = parentOf(s);
  }
  // A tank that feeds nothing registered still feeds villages: give it a demand node below it.
  for (const tank of nodes.filter((n) => n.role === 'tank')) {
    if (!nodes.some((n) => n.parent === tank.id)) add({ siteId: null, role: 'village', parent: tank.id });
  }

  // Demand: taps carry a village each, pipe nodes half of one (villages along the main).
  const people =
    scheme.population > 0 ? scheme.population : (scheme.capacityM3PerDay * 0.5 * 1000) / PER_CAPITA_L_PER_DAY;
  const meanDemand = (people * PER_CAPITA_L_PER_DAY * LOSS_FACTOR) / 1000 / 24;
  const weight = (n: DesignNode) =>
    n.role === 'village' ? 1 : n.role !== 'junction' ? 0 : byId.get(n.siteId!)?.kind === 'tap' ? 1 : 0.5;
  let total = nodes.reduce((sum, n) => sum + weight(n), 0);
  if (total === 0) {
    // Only a plant (or plant and tanks): hang the whole demand on one village node.
    add({
      siteId: null,
      role: 'village',
      parent: nodes.find((n) => n.role === 'tank')?.id ?? outlets[0]!.id,
    });
    total = 1;
  }
  for (const n of nodes) n.demand = (meanDemand * weight(n)) / total;
  const children = (id: string) => nodes.filter((n) => n.parent === id);
  const downstream = (id: string): number =>
    nodes.find((n) => n.id === id)!.demand + children(id).reduce((sum, c) => sum + downstream(c.id), 0);

  // Hilly loess terrain: plants sit 1,150–2,050 m up (Ningxia's irrigated plain to the Liupan foothills);
  // tanks stand 25–60 m above their plant, villages 22–45 m below the grade that feeds them.
  const link = (from: DesignNode, to: DesignNode, length: number, diameter: number) => {
    const l: DesignLink = {
      id: `L${links.length + 1}`,
      from: from.id,
      to: to.id,
      length,
      diameter,
      roughness: HW_C,
    };
    links.push(l);
    to.inLink = l.id;
  };
  const place = (parent: DesignNode, grade: number) => {
    for (const c of children(parent.id)) {
      const q = downstream(c.id) / 3600;
      if (c.role === 'outlet') {
        // Clear well to outlet: a short, wide pipe through the works, so the grade is the pumps' grade.
        c.elevation = parent.elevation;
        c.head = parent.head;
        link(
          parent,
          c,
          20,
          standardDiameter(1000 * Math.sqrt((4 * ((2 * PEAK_FACTOR * q) / PEAK_VELOCITY)) / Math.PI)),
        );
        place(c, grade);
      } else if (c.role === 'tank') {
        const maxLevel = Math.round(between(rnd, 4, 6) * 10) / 10;
        const top = parent.role === 'outlet' ? parent.head! + 0.3 : grade - 2;
        c.elevation = top - maxLevel;
        const volume = Math.max(50, downstream(c.id) * 24 * STORAGE_SHARE);
        c.tank = {
          maxLevel,
          initLevel: 0.55 * maxLevel,
          diameter: Math.sqrt((4 * volume) / (Math.PI * maxLevel)),
        };
        // The supply main is sized so the plant's inflow matches the tank's demand with the tank ~55 % full:
        // the level then settles and refills by itself after a drawdown, as a float-controlled inlet would.
        const length = Math.round(between(rnd, 1500, 8000));
        const drop = top - 0.3 - (c.elevation + c.tank.initLevel);
        link(parent, c, length, Math.max(40, 1000 * hwDiameter(Math.max(q, 1e-4), drop, length)));
        place(c, c.elevation + c.tank.initLevel);
      } else {
        c.elevation = grade - between(rnd, 22, 45);
        const tap = c.siteId !== null && byId.get(c.siteId)?.kind === 'tap';
        const length = Math.round(
          tap || c.role === 'village' ? between(rnd, 200, 1500) : between(rnd, 500, 4000),
        );
        const peak = Math.max(PEAK_FACTOR * q, 1e-5);
        const bySpeed = Math.sqrt((4 * peak) / PEAK_VELOCITY / Math.PI);
        const byGradient = hwDiameter(peak, PEAK_GRADIENT * length, length);
        link(parent, c, length, standardDiameter(1000 * Math.max(bySpeed, byGradient)));
        place(c, grade);
      }
    }
  };
  for (const p of plants) {
    p.elevation = Math.round(between(rnd, 1150, 2050));
    p.head = p.elevation + between(rnd, 25, 60);
    place(p, p.head);
  }

  return {
    schemeId,
    nodes,
    links,
    nodeOfSite,
    plants: plants.map((p) => p.id),
    outlets: outlets.map((o) => o.id),
    // Bulk decay 0.3–0.8 /d and a small first-order wall demand for plastic mains: within the ranges
    // reported by Rossman, Clark & Grayman (1994) and Vasconcelos et al. (1997, AWWARF) for treated water.
    chlorine: { dose: 0.8, kBulk: -between(rnd, 0.3, 0.8), kWall: -between(rnd, 0.003, 0.012) },
    meanDemand,
  };
}
