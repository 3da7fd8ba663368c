/** One coverage indicator: a ratio with its parts, the 2027 target and the gap to it (CONTRACT §6). */

export const INDICATOR_NAMES = [
  'tapWaterRate',
  'scaleCoverage',
  'integrationRate',
  'qualityCompliance',
  'monitoringOnline',
  'safeWaterCoverage',
  'standardizedCountyShare',
] as const;
export type IndicatorName = (typeof INDICATOR_NAMES)[number];

export interface Indicator {
  /** numerator / denominator, or null when the denominator is 0 (CONTRACT §6). */
  value: number | null;
  numerator: number;
  denominator: number;
  target: number;
  /** target − value: positive is the distance still to go, negative is ahead of target; null with value. */
  gap: number | null;
}

export type Indicators = Record<IndicatorName, Indicator>;

/**
 * Rounds away binary noise (0.98 − 0.9 = 0.07999999999999996) so a gap reads as people expect;
 * twelve decimals keep every figure a population-weighted ratio can meaningfully carry.
 */
const tidy = (x: number) => Math.round(x * 1e12) / 1e12;

export function indicator(numerator: number, denominator: number, target: number): Indicator {
  const value = denominator === 0 ? null : numerator / denominator;
  return { value, numerator, denominator, target, gap: value === null ? null : tidy(target - value) };
}

/** Whether an indicator meets its target; a null value never does (CONTRACT §6). */
export const meets = (i: Indicator): boolean => i.value !== null && i.value >= i.target;
