/** One coverage indicator: a ratio with its parts, the 2027 target and the gap to it (CONTRACT §6). */

export const INDICATOR_NAMES = [
  'tapWaterRate',
  'scaleCoverage',
  'integrationRate',
  'qualityCompliance',
  'labCompliance',
  'monitoringOnline',
  'safeWaterCoverage',
  'standardizedCountyShare',
] as const;
export type IndicatorName = (typeof INDICATOR_NAMES)[number];

/**
 * Why a value is null, so a page can say "no quality data" rather than show 0 %: `no-quality-data` (no
 * online or lab sample in the window), `no-lab-samples`, `no-population`, `no-devices`, or
 * `not-applicable` (standardizedCountyShare of a scheme row).
 */
export type NullReason =
  | 'no-quality-data'
  | 'no-lab-samples'
  | 'no-population'
  | 'no-devices'
  | 'not-applicable';

export interface Indicator {
  /** numerator / denominator, or null when the denominator is 0 (CONTRACT §6), with `reason`. */
  value: number | null;
  numerator: number;
  denominator: number;
  target: number;
  /** target − value: positive is the distance still to go, negative is ahead of target; null with value. */
  gap: number | null;
  /** Present only when value is null. */
  reason?: NullReason;
  /** qualityCompliance: suspect samples left out (a device with an active flatline alert); present when > 0. */
  excluded?: number;
}

export type Indicators = Record<IndicatorName, Indicator>;

/**
 * Rounds away binary noise (0.98 − 0.9 = 0.07999999999999996) so a gap reads as people expect;
 * twelve decimals keep every figure a population-weighted ratio can meaningfully carry.
 */
const tidy = (x: number) => Math.round(x * 1e12) / 1e12;

export function indicator(
  numerator: number,
  denominator: number,
  target: number,
  reason?: NullReason,
): Indicator {
  const value = denominator === 0 ? null : numerator / denominator;
  const i: Indicator = {
    value,
    numerator,
    denominator,
    target,
    gap: value === null ? null : tidy(target - value),
  };
  if (value === null && reason !== undefined) i.reason = reason;
  return i;
}

/** Whether an indicator meets its target; a null value never does (CONTRACT §6). */
export const meets = (i: Indicator): boolean => i.value !== null && i.value >= i.target;
