/** Rural household demand over the day, and the per-capita figures that size each scheme's network. */

/** China Standard Time (UTC+8): villagers' routines follow local clock time. */
export const LOCAL_OFFSET_MS = 8 * 3_600_000;
export const DAY_MS = 86_400_000;

/**
 * Average daily domestic use per rural resident with a tap in the house: SL 310-2019 (村镇供水工程技术规范)
 * gives 40–100 L/(person·d) by climate zone; the dry north-west sits at the lower-middle, so 80 L.
 */
export const PER_CAPITA_L_PER_DAY = 80;
/** Non-revenue water (leaks, standpipes, livestock) added on top; rural schemes commonly run at 10–20 %. */
export const LOSS_FACTOR = 1.12;

/** Hour of the local day, 0–24. */
export const localHour = (ts: number) => ((((ts + LOCAL_OFFSET_MS) % DAY_MS) + DAY_MS) % DAY_MS) / 3_600_000;

/** Un-normalised demand shape: morning peak ~07:00, evening peak ~19:00, a smaller midday meal peak. */
function shape(hour: number): number {
  const peak = (h: number, width: number) => {
    // Wrap around midnight so the curve is periodic.
    const d = Math.min(Math.abs(hour - h), 24 - Math.abs(hour - h));
    return Math.exp(-((d / width) ** 2));
  };
  return 0.45 + 0.9 * peak(7, 1.6) + 0.75 * peak(19, 2) + 0.25 * peak(12.5, 2);
}

const MEAN = (() => {
  let sum = 0;
  for (let i = 0; i < 1440; i++) sum += shape((i + 0.5) / 60);
  return sum / 1440;
})();

/**
 * Demand multiplier at a time, 1 = the daily mean. The peak hour is ~1.9× the mean, inside the
 * 1.5–3.0 hourly peak factor SL 310-2019 gives for village supplies.
 */
export function diurnalDemand(ts: number): number {
  return shape(localHour(ts)) / MEAN;
}

/** EPANET pattern multipliers, one per `stepS` from local time-of-day `startS`, averaged over each step. */
export function demandPattern(stepS: number, count: number, startS = 0): number[] {
  const out: number[] = [];
  for (let k = 0; k < count; k++) {
    let sum = 0;
    for (let j = 0; j < 6; j++) {
      const s = startS + k * stepS + ((j + 0.5) * stepS) / 6;
      sum += shape((((s / 3600) % 24) + 24) % 24);
    }
    out.push(sum / 6 / MEAN);
  }
  return out;
}
