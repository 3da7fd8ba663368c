/** Prints a Score as the short report `npm run evaluate` shows. */
import type { Score } from './score.js';
import type { RunRecord } from './truth-record.js';

const pct = (x: number | null) => (x === null ? 'n/a' : `${(100 * x).toFixed(1)} %`);
const iv = (x: number | null | undefined) => (x === null || x === undefined ? 'n/a' : x.toFixed(1));
const dur = (s: number | null | undefined) =>
  s === null || s === undefined
    ? 'n/a'
    : s < 120
      ? `${s.toFixed(0)} s`
      : s < 7200
        ? `${(s / 60).toFixed(1)} min`
        : `${(s / 3600).toFixed(1)} h`;
export function formatScore(s: Score, run: RunRecord, path: string): string {
  const lines = [
    `ground truth ${path}: ${run.devices.length} devices from ${run.simStart}, speed ${run.speed}×`,
    '',
    `detection rate        ${pct(s.detectionRate)}  (${s.detected} of ${s.detectable} detectable faults; ${s.faults - s.detectable} others must raise nothing)`,
    `expected alerts       ${s.expectedRaised} of ${s.expectedTotal} raised`,
    `false alerts          ${s.falseAlerts} of ${s.alertsInRun} in the run = ${s.falsePerDeviceDay === null ? 'n/a' : s.falsePerDeviceDay.toFixed(4)} per device-day (${s.deviceDays.toFixed(1)} device-days)`,
    `time to detect        median ${dur(s.ttd.medianS)} (${iv(s.ttd.medianIntervals)} intervals), max ${dur(s.ttd.maxS)} (${iv(s.ttd.maxIntervals)} intervals)`,
    ...(s.grouping
      ? [
          `grouping              ${pct(s.grouping.share)} of downstream alerts in the right incident (${s.grouping.inRightIncident} of ${s.grouping.downstream})`,
        ]
      : []),
    ...(s.notReached
      ? [`not reached           ${s.notReached} faults scheduled after the end of the run`]
      : []),
    '',
    '| kind | faults | detectable | detected | median time to detect | median intervals | max intervals | median intervals once visible |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const [kind, k] of Object.entries(s.byKind).sort()) {
    lines.push(
      `| ${kind} | ${k.faults} | ${k.detectable} | ${k.detected} | ${dur(k.medianTtdS)} | ${iv(k.medianTtdIntervals)} | ${iv(k.maxTtdIntervals)} | ${iv(k.medianAfterVisibleIntervals)} |`,
    );
  }
  if (Object.keys(s.falseByRule).length > 0) {
    lines.push(
      '',
      `false alerts by rule: ${Object.entries(s.falseByRule)
        .map(([r, n]) => `${r} ${n}`)
        .join(', ')}`,
    );
  }
  if (s.missed.length > 0) lines.push(`missed faults: ${s.missed.join(', ')}`);
  return lines.join('\n');
}
