/** Which targets an alert reaches at each escalation level, from the registry's `notify.routes`. */
import type { Alert } from '../alert.js';
import { LEVELS, type Level, type NotifySection, type Route, type Target } from './schema.js';

/** Where an alert is: its county's prefecture comes from the registry, not from the alert. */
export interface AlertPlace {
  countyId: string;
  prefectureId?: string;
  schemeId: string;
}

export function routeMatches(route: Route, alert: Alert, place: AlertPlace): boolean {
  const m = route.match;
  if (!m) return true;
  if (m.counties && !m.counties.includes(place.countyId)) return false;
  if (m.prefectures && (!place.prefectureId || !m.prefectures.includes(place.prefectureId))) return false;
  if (m.schemes && !m.schemes.includes(place.schemeId)) return false;
  if (m.severities && !m.severities.includes(alert.severity)) return false;
  if (m.rules && !m.rules.includes(alert.ruleId)) return false;
  return true;
}

/** One recipient of one message: a robot group (no `to`), an address or a number. */
export interface Recipient {
  channel: string;
  /** The address or number; the channel id for a group robot or webhook. */
  to: string;
  routeId: string;
  recovery: boolean;
}

/**
 * The recipients at one level: every matching route of that level, or, when none matches, every matching
 * `fallback` route (a county's default). A route without `level` is a county route. Duplicates (the same
 * channel and address through two routes) are sent once; recovery is wanted when any route asks for it.
 */
export function recipientsAt(
  notify: NotifySection,
  level: Level,
  alert: Alert,
  place: AlertPlace,
): Recipient[] {
  const ofLevel = notify.routes.filter(
    (r) => (r.level ?? 'county') === level && routeMatches(r, alert, place),
  );
  const primary = ofLevel.filter((r) => !r.fallback);
  const chosen = primary.length > 0 ? primary : ofLevel;
  const enabled = new Set(notify.channels.filter((c) => c.enabled !== false).map((c) => c.id));
  const out = new Map<string, Recipient>();
  for (const r of chosen)
    for (const t of r.targets) {
      if (!enabled.has(t.channel)) continue;
      for (const to of targetAddresses(t)) {
        const k = `${t.channel}\n${to}`;
        const prev = out.get(k);
        if (prev) prev.recovery ||= r.recovery === true;
        else out.set(k, { channel: t.channel, to, routeId: r.id, recovery: r.recovery === true });
      }
    }
  return [...out.values()];
}

function targetAddresses(t: Target): string[] {
  return t.to ?? [t.channel];
}

/** The level reached after `steps` escalations, capped at the region. */
export function levelAt(steps: number): Level {
  return LEVELS[Math.min(Math.max(steps, 0), LEVELS.length - 1)]!;
}
