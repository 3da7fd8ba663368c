/** Scores a platform's alerts against the simulator's ground truth: detection, false alerts, time to detect. */
import type { FaultRecord, RunRecord } from './truth-record.js';

/** The part of an Alert (CONTRACT §4) scoring needs. */
export interface ScoredAlert {
  id: string;
  ruleId: string;
  deviceId: string;
  raisedAt: string;
}

export interface KindScore {
  faults: number;
  detectable: number;
  detected: number;
  medianTtdS: number | null;
}

export interface Score {
  faults: number;
  /** Faults for which the truth expects at least one alert. */
  detectable: number;
  detected: number;
  detectionRate: number | null;
  missed: string[];
  /** Expected (rule, device) alerts that were raised, of all expected. */
  expectedRaised: number;
  expectedTotal: number;
  alertsInRun: number;
  falseAlerts: number;
  falseByRule: Record<string, number>;
  deviceDays: number;
  falsePerDeviceDay: number | null;
  ttd: { medianS: number | null; maxS: number | null };
  byKind: Record<string, KindScore>;
}

export interface ScoreInput {
  run: RunRecord;
  faults: readonly FaultRecord[];
  /** End of the simulated window (the end record's `simEnd`, or the time of scoring). */
  simEnd: number;
  /** End of the run on the wall clock. */
  wallEnd: number;
  alerts: readonly ScoredAlert[];
}

/** Slack either side of a fault's window: a reading's jitter and ingest's one-second promptness. */
const SLACK_MS = 60_000;

const median = (xs: readonly number[]): number | null => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/**
 * When an alert happened in simulated time. Threshold alerts carry the reading's own time; a `stale`
 * alert is raised by ingest's wall clock, which in a replay of the past runs behind simulated time, so
 * a time inside the replay's wall-clock window is mapped back onto the simulated one.
 */
export function simTimeOf(raisedAt: number, run: RunRecord, wallEnd: number): number {
  const simStart = Date.parse(run.simStart);
  const wallStart = Date.parse(run.wallStart);
  const replay = run.speed > 1 && simStart < wallStart;
  if (!replay || raisedAt < wallStart - SLACK_MS || raisedAt > wallEnd + SLACK_MS) return raisedAt;
  return Math.min(simStart + (raisedAt - wallStart) * run.speed, raisedAt);
}

export function scoreAlerts(input: ScoreInput): Score {
  const { run, faults } = input;
  const simStart = Date.parse(run.simStart);
  const devices = new Set(run.devices);
  const inRun = input.alerts
    .map((a) => ({ a, t: simTimeOf(Date.parse(a.raisedAt), run, input.wallEnd) }))
    .filter((x) => devices.has(x.a.deviceId) && x.t >= simStart - SLACK_MS && x.t <= input.simEnd + SLACK_MS);

  const windows = faults.map((f) => ({
    f,
    from: Date.parse(f.start) - SLACK_MS,
    to: Date.parse(f.effectEnd) + SLACK_MS,
    expected: new Set(f.expected.map((r) => `${r.ruleId}|${r.deviceId}`)),
    allowed: new Set(f.allowed.map((r) => `${r.ruleId}|${r.deviceId}`)),
    firstT: null as number | null,
    raised: new Set<string>(),
  }));
  let falseAlerts = 0;
  const falseByRule: Record<string, number> = {};
  for (const { a, t } of inRun) {
    const key = `${a.ruleId}|${a.deviceId}`;
    let explained = false;
    for (const w of windows) {
      if (t < w.from || t > w.to) continue;
      if (w.expected.has(key)) {
        explained = true;
        w.raised.add(key);
        w.firstT = w.firstT === null ? t : Math.min(w.firstT, t);
      } else if (w.allowed.has(key)) explained = true;
    }
    if (!explained) {
      falseAlerts++;
      falseByRule[a.ruleId] = (falseByRule[a.ruleId] ?? 0) + 1;
    }
  }

  const detectable = windows.filter((w) => w.expected.size > 0);
  const detected = detectable.filter((w) => w.firstT !== null);
  const ttd = (ws: typeof windows) => ws.map((w) => Math.max(0, (w.firstT! - Date.parse(w.f.start)) / 1000));
  const byKind: Record<string, KindScore> = {};
  for (const w of windows) {
    const k = byKind[w.f.kind] ?? { faults: 0, detectable: 0, detected: 0, medianTtdS: null };
    byKind[w.f.kind] = k;
    k.faults++;
    if (w.expected.size > 0) k.detectable++;
    if (w.expected.size > 0 && w.firstT !== null) k.detected++;
  }
  for (const [kind, k] of Object.entries(byKind))
    k.medianTtdS = median(ttd(detected.filter((w) => w.f.kind === kind)));
  const deviceDays = (run.devices.length * Math.max(0, input.simEnd - simStart)) / 86_400_000;
  const times = ttd(detected);
  return {
    faults: faults.length,
    detectable: detectable.length,
    detected: detected.length,
    detectionRate: detectable.length > 0 ? detected.length / detectable.length : null,
    missed: detectable.filter((w) => w.firstT === null).map((w) => w.f.id),
    expectedRaised: windows.reduce((n, w) => n + w.raised.size, 0),
    expectedTotal: windows.reduce((n, w) => n + w.expected.size, 0),
    alertsInRun: inRun.length,
    falseAlerts,
    falseByRule,
    deviceDays,
    falsePerDeviceDay: deviceDays > 0 ? falseAlerts / deviceDays : null,
    ttd: { medianS: median(times), maxS: times.length > 0 ? Math.max(...times) : null },
    byKind,
  };
}
