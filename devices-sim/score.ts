/** Scores a platform's alerts against the simulator's ground truth: detection, false alerts, time to detect. */
import { NETWORK_KINDS } from './faults.js';
import { type GroupingScore, scoreGrouping } from './score-grouping.js';
import type { FaultRecord, RunRecord } from './truth-record.js';

/** The part of an Alert (CONTRACT §4) scoring needs. */
export interface ScoredAlert {
  id: string;
  ruleId: string;
  deviceId: string;
  raisedAt: string;
  siteId?: string;
  incidentId?: string;
}

export interface KindScore {
  faults: number;
  detectable: number;
  detected: number;
  medianTtdS: number | null;
  maxTtdS?: number | null;
  /** Times to detect in reporting intervals of the first device that can see each fault. */
  medianTtdIntervals?: number | null;
  maxTtdIntervals?: number | null;
  /** The same, counted from when the ground truth says the first device can see the fault (its earliest expected `at`). */
  medianAfterVisibleIntervals?: number | null;
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
  ttd: {
    medianS: number | null;
    maxS: number | null;
    medianIntervals?: number | null;
    maxIntervals?: number | null;
  };
  byKind: Record<string, KindScore>;
  /** Faults scheduled after the end of the run: neither detectable nor missed. */
  notReached?: number;
  /** Downstream alerts of network faults in the incident of the right root cause (when incident roots are known). */
  grouping?: GroupingScore;
}

export interface ScoreInput {
  run: RunRecord;
  faults: readonly FaultRecord[];
  /** End of the simulated window (the end record's `simEnd`, or the time of scoring). */
  simEnd: number;
  /** End of the run on the wall clock. */
  wallEnd: number;
  alerts: readonly ScoredAlert[];
  /** Root site of each incident (from GET /api/v1/incidents); absent = grouping not scored. */
  incidentRoots?: ReadonlyMap<string, string | undefined>;
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

/** The interval of the device that can see a fault first: the expected alert the truth says holds earliest. */
function firstInterval(f: FaultRecord, run: RunRecord): number | null {
  const refs = [...f.expected].sort((a, b) => (a.at ?? '~').localeCompare(b.at ?? '~'));
  const s = refs[0] ? run.intervals?.[refs[0].deviceId] : undefined;
  return s ?? null;
}

export function scoreAlerts(input: ScoreInput): Score {
  const { run } = input;
  // A fault scheduled after the run ended (a replay shorter than its scenario) was never injected.
  const faults = input.faults.filter((f) => Date.parse(f.start) <= input.simEnd);
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
    explained: [] as ScoredAlert[],
  }));
  let falseAlerts = 0;
  const falseByRule: Record<string, number> = {};
  for (const { a, t } of inRun) {
    const key = `${a.ruleId}|${a.deviceId}`;
    let explained = false;
    for (const w of windows) {
      if (t < w.from || t > w.to) continue;
      if (w.expected.has(key) || w.allowed.has(key)) w.explained.push(a);
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
  const ttdIntervals = (ws: typeof windows) =>
    ws.flatMap((w) => {
      const i = firstInterval(w.f, run);
      return i === null ? [] : [Math.max(0, (w.firstT! - Date.parse(w.f.start)) / 1000 / i)];
    });
  const max = (xs: number[]) => (xs.length > 0 ? Math.max(...xs) : null);
  const afterVisible = (ws: typeof windows) =>
    ws.flatMap((w) => {
      const i = firstInterval(w.f, run);
      const seen = w.f.expected.map((e) => (e.at ? Date.parse(e.at) : Number.NaN)).filter(Number.isFinite);
      const from = seen.length > 0 ? Math.min(...seen) : Date.parse(w.f.start);
      return i === null ? [] : [Math.max(0, (w.firstT! - from) / 1000 / i)];
    });
  const byKind: Record<string, KindScore> = {};
  for (const w of windows) {
    const k = byKind[w.f.kind] ?? { faults: 0, detectable: 0, detected: 0, medianTtdS: null };
    byKind[w.f.kind] = k;
    k.faults++;
    if (w.expected.size > 0) k.detectable++;
    if (w.expected.size > 0 && w.firstT !== null) k.detected++;
  }
  for (const [kind, k] of Object.entries(byKind)) {
    const of = detected.filter((w) => w.f.kind === kind);
    k.medianTtdS = median(ttd(of));
    k.maxTtdS = max(ttd(of));
    k.medianTtdIntervals = median(ttdIntervals(of));
    k.maxTtdIntervals = max(ttdIntervals(of));
    k.medianAfterVisibleIntervals = median(afterVisible(of));
  }
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
    ttd: {
      medianS: median(times),
      maxS: times.length > 0 ? Math.max(...times) : null,
      medianIntervals: median(ttdIntervals(detected)),
      maxIntervals: max(ttdIntervals(detected)),
    },
    byKind,
    notReached: input.faults.length - faults.length,
    ...(input.incidentRoots
      ? {
          grouping: scoreGrouping(
            windows.filter((w) => NETWORK_KINDS.has(w.f.kind)).map((w) => ({ f: w.f, alerts: w.explained })),
            input.incidentRoots,
          ),
        }
      : {}),
  };
}
