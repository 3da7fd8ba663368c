/** Seeded models of the quantities EPANET does not carry: turbidity, pH, conductivity, temperature, source level. */
import type { SiteKind } from '../core/registry-schema.js';
import { DAY_MS } from './demand-pattern.js';
import { between, createRandom, hashSeed } from './random.js';

/** A storm or snow-melt flush raising raw-water turbidity at the intake. */
export interface TurbidityEvent {
  start: number;
  end: number;
  /** Raw-water turbidity at the height of the event, NTU. */
  peakNtu: number;
}

export interface SiteRef {
  siteId: string;
  kind: SiteKind;
  /** Mean travel time from the works, ms. */
  travelMs: number;
}

export interface SchemeQuality {
  turbidity(site: SiteRef, ts: number): number;
  ph(site: SiteRef, ts: number): number;
  conductivity(site: SiteRef, ts: number): number;
  temperature(site: SiteRef, ts: number): number;
  /** Water level over the intake or in the well, m. */
  sourceLevel(ts: number): number;
  /** Share of raw-water turbidity the works lets through. */
  passFraction: number;
}

const HOUR_MS = 3_600_000;
/** Treatment and clear-well delay between intake and outlet. */
const WORKS_LAG_MS = HOUR_MS;

/** A smooth seeded wander in [-1, 1]: a few sinusoids of random period and phase (hours to days). */
function wander(seed: number): (ts: number) => number {
  const rnd = createRandom(seed);
  const terms = Array.from({ length: 4 }, () => ({
    period: between(rnd, 3, 60) * HOUR_MS,
    phase: rnd() * 2 * Math.PI,
    weight: between(rnd, 0.5, 1),
  }));
  const total = terms.reduce((s, t) => s + t.weight, 0);
  return (ts) =>
    terms.reduce((s, t) => s + t.weight * Math.sin((2 * Math.PI * ts) / t.period + t.phase), 0) / total;
}

/** 0 before, a one-hour rise, 1 while it lasts, then a recession with a three-hour time constant. */
export function eventShape(e: { start: number; end: number }, ts: number): number {
  if (ts <= e.start) return 0;
  if (ts < e.end) {
    const x = Math.min(1, (ts - e.start) / HOUR_MS);
    return x * x * (3 - 2 * x);
  }
  return Math.exp(-(ts - e.end) / (3 * HOUR_MS));
}

export function createSchemeQuality(
  schemeId: string,
  scale: boolean,
  events: readonly TurbidityEvent[],
): SchemeQuality {
  const rnd = createRandom(hashSeed('quality', schemeId));
  // Integrated works mostly draw on the Yellow River or reservoirs; village supplies on wells and springs.
  const surface = rnd() < (scale ? 0.7 : 0.2);
  const rawBase = surface ? between(rnd, 8, 40) : between(rnd, 0.4, 2.5);
  const treatedBase = between(rnd, 0.08, 0.3);
  const rawPh = between(rnd, 7.6, 8.2);
  const treatedPh = between(rnd, 7.1, 7.7);
  // North-western groundwaters are more mineralised than river water.
  const rawConductivity = surface ? between(rnd, 450, 900) : between(rnd, 800, 1500);
  const levelBase = surface ? between(rnd, 4, 10) : between(rnd, 12, 30);
  // Conventional coagulation–sedimentation–filtration removes ~99.5 % of turbidity under normal load;
  // the simpler filters of small schemes far less (WHO, Water Treatment and Pathogen Control, 2004).
  const passFraction = scale ? 0.005 : 0.03;
  const w = (name: string) => wander(hashSeed('wander', schemeId, name));
  const rawWander = w('raw');
  const treatedWander = w('treated');
  const phWander = w('ph');
  const condWander = w('cond');
  const levelWander = w('level');
  const local = (siteId: string) => createRandom(hashSeed('site', siteId))();

  const storm = (ts: number) => {
    let rise = 0;
    let shape = 0;
    for (const e of events) {
      const s = eventShape(e, ts);
      rise = Math.max(rise, s * Math.max(0, e.peakNtu - rawBase));
      shape = Math.max(shape, s);
    }
    return { rise, shape };
  };
  const raw = (ts: number) => rawBase * (1 + 0.25 * rawWander(ts)) + storm(ts).rise;
  // When the water left the works: the outlet an hour after the intake, a tap a travel time later.
  const leftWorks = (site: SiteRef, ts: number) => ts - (site.kind === 'plant' ? 0 : site.travelMs);

  return {
    passFraction,
    turbidity(site, ts) {
      if (site.kind === 'source') return raw(ts);
      const t = leftWorks(site, ts);
      const treated =
        treatedBase * (1 + 0.2 * treatedWander(t)) + passFraction * storm(t - WORKS_LAG_MS).rise;
      // Mains add a little: biofilm and deposits stirred up along the way.
      return site.kind === 'plant' ? treated : treated + 0.02 + 0.08 * local(site.siteId);
    },
    ph(site, ts) {
      if (site.kind === 'source') return rawPh + 0.1 * phWander(ts) - 0.4 * storm(ts).shape;
      const t = leftWorks(site, ts);
      return (
        treatedPh +
        0.08 * phWander(t) -
        0.15 * storm(t - WORKS_LAG_MS).shape +
        0.1 * (local(site.siteId) - 0.5)
      );
    },
    conductivity(site, ts) {
      const t = site.kind === 'source' ? ts : leftWorks(site, ts) - WORKS_LAG_MS;
      // Storm runoff dilutes the dissolved salts.
      return rawConductivity * (1 + 0.05 * condWander(t)) * (1 - 0.35 * storm(t).shape);
    },
    temperature(site, ts) {
      // Surface water in Ningxia runs ~2 °C in late January to ~22 °C in July; groundwater stays near 11 °C.
      const season = Math.cos((2 * Math.PI * (ts / DAY_MS - 20)) / 365.25);
      const rawT = surface ? 12 - 10 * season : 11 - 1.5 * season;
      // Buried mains pull the water towards the ground's own ~11 °C.
      return site.kind === 'source' || site.kind === 'plant' ? rawT : 0.7 * rawT + 0.3 * 11;
    },
    sourceLevel(ts) {
      return levelBase * (1 + 0.04 * levelWander(ts)) + 0.8 * storm(ts).shape;
    },
  };
}
