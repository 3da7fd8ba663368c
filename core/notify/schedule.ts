/** Escalation and repeats as a pure function of an alert's raise time, its severity and the clock. */
import type { Severity } from '../registry-schema.js';
import { parseDuration } from '../time.js';
import type { Escalation } from './schema.js';

export interface EscalationPolicy {
  repeatAfterMs: number | null;
  escalateAfterMs: number | null;
  maxRepeats: number;
  severities: readonly Severity[];
}

/** A forgotten alert pages three more times, then waits for someone to look at the board. */
export const DEFAULT_MAX_REPEATS = 3;

export function escalationPolicy(e: Escalation | undefined): EscalationPolicy {
  return {
    repeatAfterMs: e?.repeatAfter ? parseDuration(e.repeatAfter) : null,
    escalateAfterMs: e?.escalateAfter ? parseDuration(e.escalateAfter) : null,
    maxRepeats: e?.maxRepeats ?? DEFAULT_MAX_REPEATS,
    severities: e?.severities ?? ['critical'],
  };
}

export type StepKind = 'raised' | 'repeat' | 'escalate';

/** One message an alert calls for while nobody acknowledges it. */
export interface Step {
  kind: StepKind;
  /** 0 for the first message, the repeat count, or the escalation count. */
  n: number;
  /** The highest level (0 county, 1 prefecture, 2 region) this message goes to. */
  level: number;
  /** The lowest level it goes to: a repeat reminds every level reached so far; an escalation adds one. */
  fromLevel: number;
  dueAt: number;
  /** Stable, so scheduling the same step twice (a tick, a restart) queues it once. */
  key: string;
}

const MAX_LEVEL = 2;

/**
 * Every step of an open (active, unacknowledged) alert due at or before `now`. Escalation i is due at
 * raisedAt + i × escalateAfter (i = 1, 2) and reaches level i; repeat k is due at raisedAt + k × repeatAfter
 * and reminds every level reached by then, unless an escalation goes out at the same moment. Acknowledging
 * or clearing stops both: the caller stops asking once the alert is no longer open.
 */
export function stepsDue(
  alert: { id: string; raisedAtMs: number; severity: Severity },
  policy: EscalationPolicy,
  now: number,
): Step[] {
  const t0 = alert.raisedAtMs;
  const steps: Step[] = [
    { kind: 'raised', n: 0, level: 0, fromLevel: 0, dueAt: t0, key: `${alert.id}:raised` },
  ];
  if (!policy.severities.includes(alert.severity)) return steps.filter((s) => s.dueAt <= now);
  const esc = policy.escalateAfterMs;
  const escalations = new Set<number>();
  if (esc !== null)
    for (let i = 1; i <= MAX_LEVEL; i++) {
      escalations.add(t0 + i * esc);
      steps.push({
        kind: 'escalate',
        n: i,
        level: i,
        fromLevel: i,
        dueAt: t0 + i * esc,
        key: `${alert.id}:escalate-${i}`,
      });
    }
  const rep = policy.repeatAfterMs;
  if (rep !== null)
    for (let k = 1; k <= policy.maxRepeats; k++) {
      const dueAt = t0 + k * rep;
      if (escalations.has(dueAt)) continue;
      const level = esc === null ? 0 : Math.min(MAX_LEVEL, Math.floor((k * rep) / esc));
      steps.push({ kind: 'repeat', n: k, level, fromLevel: 0, dueAt, key: `${alert.id}:repeat-${k}` });
    }
  return steps.filter((s) => s.dueAt <= now).sort((a, b) => a.dueAt - b.dueAt);
}

/** When the next step after `now` falls due, or null when none is left. */
export function nextStepAt(
  alert: { id: string; raisedAtMs: number; severity: Severity },
  policy: EscalationPolicy,
  now: number,
): number | null {
  const all = stepsDue(alert, policy, Number.POSITIVE_INFINITY);
  const later = all.filter((s) => s.dueAt > now).map((s) => s.dueAt);
  return later.length > 0 ? Math.min(...later) : null;
}
