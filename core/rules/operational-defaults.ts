/** Default settings of the operational and statistical rules: beyond fixed limits, each compared with the device's own typical values. */
import type { RuleId, SiteKind } from '../registry-schema.js';
import type { DefaultRule } from './defaults.js';

const ALL_BUT_SOURCE: readonly SiteKind[] = ['plant', 'reservoir', 'pipe', 'tap'];
const NETWORK: readonly SiteKind[] = ['reservoir', 'pipe', 'tap'];
const EVERY_SITE: readonly SiteKind[] = ['source', 'plant', 'reservoir', 'pipe', 'tap'];
const BASE = { enabled: true, raiseAfter: 2, clearAfter: 2, deadband: 0.05 } as const;
const HOUR_S = 3600;

/** A departure of the value from its typical value (an EWMA over `typicalS`) of more than max(max, riseRatio × typical). */
const rate = (
  rule: RuleId,
  metric: 'turbidity' | 'chlorine' | 'ph' | 'conductivity' | 'level',
  max: number,
  riseRatio?: number,
) => ({
  settings: {
    ...BASE,
    rule,
    kind: 'rate' as const,
    metric,
    severity: 'warning' as const,
    max,
    ...(riseRatio !== undefined ? { riseRatio } : {}),
    typicalS: HOUR_S / 2,
  },
});

export const OPERATIONAL_IDS = [
  'plant-outage',
  'burst',
  'chlorine-demand',
  'turbidity-rate',
  'chlorine-rate',
  'ph-rate',
  'conductivity-rate',
  'level-rate',
  'quality-anomaly',
] as const satisfies readonly RuleId[];

export const OPERATIONAL_RULES: Readonly<Partial<Record<RuleId, DefaultRule>>> = {
  'plant-outage': {
    // Operations: a works whose outlet flow falls below 30 % of its flow of the last hours has stopped
    // (pumps, power, intake); the night minimum of rural demand is about 45 % of the mean (demand-pattern.ts).
    // One Reading raises: the outlet meter's noise is about 5 % (3 sd 14 %) and nothing else takes a
    // works' flow from its typical value to under 30 % of it between two Readings; a spike only ever
    // reads high. Measured: no false plant-outage over 2,100 device-days of the 7-day run (README).
    settings: {
      ...BASE,
      rule: 'plant-outage',
      kind: 'operational',
      metric: 'flow',
      severity: 'critical',
      raiseAfter: 1,
      dropRatio: 0.7,
      typicalS: 2 * HOUR_S,
    },
    appliesTo: ['plant'],
  },
  burst: {
    // Operations: a main bursting raises the flow through the nearest meter and drops its pressure at
    // once; either alone is demand (flow) or a valve (pressure). IWA water-loss practice: flow and pressure together.
    settings: {
      ...BASE,
      rule: 'burst',
      kind: 'operational',
      metric: 'flow',
      severity: 'critical',
      raiseAfter: 1,
      riseRatio: 0.3,
      dropRatio: 0.15,
      // Ten minutes: a burst is a step, while the morning rise of demand takes hours (demand-pattern.ts).
      typicalS: 600,
    },
    appliesTo: ['plant', 'pipe'],
  },
  'chlorine-demand': {
    // GB 5749-2022 表2 sets free chlorine at both ends; the difference between the works outlet and a
    // network site (the chlorine demand of the pipes) is steady for a given water age, so a change of more
    // than 0.3 mg/L (the span between the plant minimum 0.3 and the tap minimum 0.05, rounded) means a
    // contamination, a regrowth or a changed flow path before any limit is broken.
    settings: {
      ...BASE,
      rule: 'chlorine-demand',
      kind: 'operational',
      metric: 'chlorine',
      severity: 'warning',
      max: 0.3,
      typicalS: 6 * HOUR_S,
    },
    appliesTo: NETWORK,
  },
  // Rate of change per metric: a step away from the recent typical value, seen before a limit is broken.
  // Turbidity doubling (and by at least 0.5 NTU, half the GB 5749-2022 limit) is a storm or a breakthrough.
  'turbidity-rate': { ...rate('turbidity-rate', 'turbidity', 0.5, 1), appliesTo: EVERY_SITE },
  // 0.15 mg/L: about 8 standard deviations of a chlorine analyser's noise, half the plant minimum.
  // At the works outlet one Reading of a fall raises: the dose is set there, so its free chlorine is
  // steady, and a fall of 8 standard deviations is the dose failing (the pump, the feed, the
  // chlorinator's power) or the analyser's cell running dry, both for someone to see at once; a rise
  // still needs raiseAfter Readings, as an analyser's spikes (bubbles) read high.
  'chlorine-rate': {
    ...rate('chlorine-rate', 'chlorine', 0.15),
    appliesTo: ALL_BUT_SOURCE,
    bySiteKind: { plant: { fallRaiseAfter: 1 } },
  },
  // 0.3 pH: a fifth of the GB 5749-2022 span 6.5–8.5.
  'ph-rate': { ...rate('ph-rate', 'ph', 0.3), appliesTo: ALL_BUT_SOURCE },
  // Conductivity 20 % away from typical: a different water (intrusion, a mixed source).
  'conductivity-rate': { ...rate('conductivity-rate', 'conductivity', 50, 0.2), appliesTo: EVERY_SITE },
  // Half a metre within about half an hour: a tank draining or a level sensor failing.
  'level-rate': { ...rate('level-rate', 'level', 0.5), appliesTo: ['source', 'reservoir'] },
  'quality-anomaly': {
    // CANARY-style statistical detection (EPA 600/R-08/040): residuals of a per-metric predictor with a
    // daily pattern, judged by a binomial event discriminator. Off until its false-alarm rate is
    // measured per site kind (README, "Statistical detection").
    settings: {
      ...BASE,
      rule: 'quality-anomaly',
      kind: 'anomaly',
      severity: 'warning',
      enabled: false,
      sigma: 4,
      count: 12,
      typicalS: 6 * HOUR_S,
    },
    appliesTo: ALL_BUT_SOURCE,
  },
};
