/** The default rules of CONTRACT §5: GB 5749-2022 drinking-water limits and operational checks. */
import type { AlertKind } from '../alert.js';
import type { Metric } from '../metrics.js';
import type { RuleId, Severity, SiteKind } from '../registry-schema.js';
import { type OPERATIONAL_IDS, OPERATIONAL_RULES } from './operational-defaults.js';

/** Every setting a rule can have; which ones a rule reads depends on its kind. */
export interface RuleSettings {
  rule: RuleId;
  kind: AlertKind;
  /** The metric judged; absent for `stale` (the device) and `flatline` (each metric). */
  metric?: Metric;
  enabled: boolean;
  severity: Severity;
  min?: number;
  max?: number;
  /** Consecutive breaching Readings that raise (threshold rules). */
  raiseAfter: number;
  /** Consecutive Readings back inside (by the deadband) that clear. */
  clearAfter: number;
  /** A Reading is back inside only when inside by this ratio of the breached limit. */
  deadband: number;
  /** pressure-drop: a fall of more than this ratio below the window's highest Reading. */
  dropRatio?: number;
  /** pressure-drop: the look-back window. */
  windowS?: number;
  /** stale: raised after factor × intervalS without a Reading. */
  factor?: number;
  /** flatline: identical consecutive values that raise; quality-anomaly: the window of the binomial discriminator. */
  count?: number;
  /** burst: a rise of flow by more than this ratio above its typical value. */
  riseRatio?: number;
  /** Operational and statistical rules: the time constant of the typical value they compare with. */
  typicalS?: number;
  /** quality-anomaly: a residual beyond this many standard deviations is an outlier. */
  sigma?: number;
  /** Rate rules: consecutive Readings below the typical value that raise (default raiseAfter). */
  fallRaiseAfter?: number;
}

const ALL_BUT_SOURCE: readonly SiteKind[] = ['plant', 'reservoir', 'pipe', 'tap'];
const NETWORK: readonly SiteKind[] = ['reservoir', 'pipe', 'tap'];
const PIPES: readonly SiteKind[] = ['pipe', 'tap'];
const EVERY_SITE: readonly SiteKind[] = ['source', 'plant', 'reservoir', 'pipe', 'tap'];

/** CONTRACT §5: raise on the 2nd consecutive breach, clear on the 2nd consecutive Reading 5 % inside. */
const THRESHOLD = { kind: 'threshold', enabled: true, raiseAfter: 2, clearAfter: 2, deadband: 0.05 } as const;

/**
 * GB 5749-2022 Table 1: turbidity ≤ 1 NTU, and ≤ 3 NTU for small centralised supplies and
 * dispersed supplies where source and treatment conditions limit it (Table 1, note a).
 */
export const TURBIDITY_MAX_NTU = 1;
export const TURBIDITY_MAX_SMALL_NTU = 3;

export interface DefaultRule {
  settings: RuleSettings;
  /** Site kinds where the rule applies unless an override says otherwise. */
  appliesTo: readonly SiteKind[];
  /** Defaults of this rule that differ at a site kind (overrides still write over them). */
  bySiteKind?: Partial<Record<SiteKind, Partial<RuleSettings>>>;
}

export const DEFAULT_RULES = {
  ...(OPERATIONAL_RULES as Record<(typeof OPERATIONAL_IDS)[number], DefaultRule>),
  'turbidity-max': {
    // The small-scheme limit replaces `max` at small schemes (see effectiveSettings).
    settings: {
      ...THRESHOLD,
      rule: 'turbidity-max',
      metric: 'turbidity',
      severity: 'critical',
      max: TURBIDITY_MAX_NTU,
    },
    appliesTo: ALL_BUT_SOURCE,
  },
  'chlorine-plant': {
    // GB 5749-2022 表2 (消毒剂常规指标, free chlorine 游离氯): leaving the plant ≥ 0.3 mg/L, ≤ 2 mg/L.
    settings: {
      ...THRESHOLD,
      rule: 'chlorine-plant',
      metric: 'chlorine',
      severity: 'critical',
      min: 0.3,
      max: 2,
    },
    appliesTo: ['plant'],
  },
  'chlorine-network': {
    // GB 5749-2022 表2 (消毒剂常规指标): free chlorine 游离氯 at the tap (末梢水) ≥ 0.05 mg/L; ≤ 2 mg/L.
    settings: {
      ...THRESHOLD,
      rule: 'chlorine-network',
      metric: 'chlorine',
      severity: 'critical',
      min: 0.05,
      max: 2,
    },
    appliesTo: NETWORK,
  },
  'ph-range': {
    // GB 5749-2022 Table 1: pH not below 6.5 and not above 8.5.
    settings: { ...THRESHOLD, rule: 'ph-range', metric: 'ph', severity: 'critical', min: 6.5, max: 8.5 },
    appliesTo: ALL_BUT_SOURCE,
  },
  'pressure-low': {
    // Operations: 0.10 MPa is the minimum service pressure at the tap customary in Chinese
    // rural supply design (about 10 m head; GB 50013/CJJ 123 service-pressure practice).
    settings: { ...THRESHOLD, rule: 'pressure-low', metric: 'pressure', severity: 'warning', min: 0.1 },
    appliesTo: PIPES,
  },
  'pressure-high': {
    // Operations: above 0.60 MPa household fittings are at risk and leakage rises.
    settings: { ...THRESHOLD, rule: 'pressure-high', metric: 'pressure', severity: 'warning', max: 0.6 },
    appliesTo: PIPES,
  },
  'pressure-drop': {
    // A fall of more than 30 % below the highest Reading of the previous 5 minutes: a burst.
    settings: {
      ...THRESHOLD,
      rule: 'pressure-drop',
      kind: 'rate',
      metric: 'pressure',
      severity: 'critical',
      raiseAfter: 1,
      dropRatio: 0.3,
      windowS: 300,
    },
    appliesTo: PIPES,
  },
  stale: {
    // No Reading for 3 reporting intervals: the device, its power or its link has failed.
    settings: {
      ...THRESHOLD,
      rule: 'stale',
      kind: 'stale',
      severity: 'warning',
      raiseAfter: 1,
      clearAfter: 1,
      factor: 3,
    },
    appliesTo: EVERY_SITE,
  },
  offline: {
    // The broker holds no connection for the device and its next Reading is overdue: a device that
    // lost its power or its modem is known the moment its connection closes (or its keep-alive
    // expires), so it need not wait for stale's 3 intervals of silence. 1.5 intervals covers the
    // ±10 % jitter of a reporting interval and a connection dropped and re-made within one interval.
    // Checked on the same clock as stale; cleared by the device's next Reading.
    settings: {
      ...THRESHOLD,
      rule: 'offline',
      kind: 'stale',
      severity: 'warning',
      raiseAfter: 1,
      clearAfter: 1,
      factor: 1.5,
    },
    appliesTo: EVERY_SITE,
  },
  flatline: {
    // 10 identical consecutive values: a stuck sensor or a frozen data logger.
    settings: {
      ...THRESHOLD,
      rule: 'flatline',
      kind: 'flatline',
      severity: 'warning',
      raiseAfter: 10,
      clearAfter: 1,
      count: 10,
    },
    appliesTo: EVERY_SITE,
  },
} satisfies Record<RuleId, DefaultRule> as Readonly<Record<RuleId, DefaultRule>>;
