/** The ground-truth file: one JSON line for the run, one per injected fault, one at the end. */
import { z } from 'zod';
import { RuleId } from '../core/registry-schema.js';
import { FaultKind } from './faults.js';

const Time = z.iso.datetime();

/** An alert a correct platform raises (expected) or may raise without being wrong (allowed). */
export const AlertRef = z.object({
  ruleId: RuleId,
  deviceId: z.string(),
  metric: z.string().optional(),
  /** When the model says the condition first holds. */
  at: Time.optional(),
});
export type AlertRef = z.infer<typeof AlertRef>;

export const RunRecord = z.object({
  record: z.literal('run'),
  seed: z.number(),
  /** Simulated time at the start, and how many simulated ms pass per wall-clock ms (until it catches up). */
  simStart: Time,
  speed: z.number(),
  wallStart: Time,
  durationMs: z.number().nullable(),
  devices: z.array(z.string()),
  /** Each device's reporting interval, s: times to detect are also given in intervals. */
  intervals: z.record(z.string(), z.number()).optional(),
  /** What ingest's `stale` was told to count on (`--stale-clock`): `readings` = simulated time. */
  staleClock: z.enum(['wall', 'readings']).optional(),
});
export type RunRecord = z.infer<typeof RunRecord>;

export const FaultRecord = z.object({
  record: z.literal('fault'),
  id: z.string(),
  kind: FaultKind,
  schemeId: z.string(),
  countyId: z.string(),
  siteId: z.string(),
  deviceIds: z.array(z.string()),
  metric: z.string().optional(),
  start: Time,
  end: Time,
  /** Until when alerts caused by the fault may still be raised (chlorine takes hours to recover). */
  effectEnd: Time,
  params: z.record(z.string(), z.unknown()),
  expected: z.array(AlertRef),
  allowed: z.array(AlertRef),
  /** Sites an incident may name as this fault's root cause: its site, or the first monitored ones below it. */
  rootSites: z.array(z.string()).optional(),
  /** Sites fed by the fault's site: their alerts belong in its incident. */
  downstreamSites: z.array(z.string()).optional(),
});
export type FaultRecord = z.infer<typeof FaultRecord>;

export const EndRecord = z.object({
  record: z.literal('end'),
  simEnd: Time,
  wallEnd: Time,
  published: z.number(),
});
export type EndRecord = z.infer<typeof EndRecord>;

export const TruthLine = z.discriminatedUnion('record', [RunRecord, FaultRecord, EndRecord]);
export type TruthLine = z.infer<typeof TruthLine>;

export interface Truth {
  run: RunRecord;
  faults: FaultRecord[];
  end: EndRecord | null;
}

/** Parses a truth file; every bad line is reported with its line number. */
export function parseTruth(text: string): { ok: true; value: Truth } | { ok: false; issues: string[] } {
  const issues: string[] = [];
  let run: RunRecord | null = null;
  let end: EndRecord | null = null;
  const faults: FaultRecord[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      issues.push(`line ${i + 1}: not JSON`);
      return;
    }
    const r = TruthLine.safeParse(json);
    if (!r.success)
      issues.push(
        `line ${i + 1}: ${r.error.issues.map((x) => `${x.path.join('.')} ${x.message}`).join('; ')}`,
      );
    else if (r.data.record === 'run') run = r.data;
    else if (r.data.record === 'end') end = r.data;
    else faults.push(r.data);
  });
  if (!run) issues.push('no run record (the first line the simulator writes)');
  return issues.length > 0 || !run ? { ok: false, issues } : { ok: true, value: { run, faults, end } };
}
