/**
 * Each alert's current state as one InfluxDB point (measurement `alert_state`), overwritten in place:
 * same measurement, tags and timestamp is the same point, and a write's fields replace only those it
 * carries (the union of old and new fields, ties to the new; checked against 1.6.7).
 *
 * Tags are the bounded dimensions county, device and rule, never the alert id (series would grow with
 * every alert; 1.x caps a database at 1,000,000 series). The timestamp is the alert's `raisedAt` in µs
 * plus a hash of its id below 1 ms: alert ids are `rule.device.raisedAtMs` (core/rules/alerts.ts), so
 * two alerts of one device and rule never share a millisecond; the hash keeps ids made otherwise (tests,
 * older data) apart too, but for a 1-in-1,000 collision of two such ids in one device, rule and ms.
 *
 * Several processes write one alert (ingest clears it, the API acknowledges or resolves it), each from
 * its own snapshot, and none reads before it writes. So what may only ever be set once lives in fields of
 * its own that a writer adds only when it sets them: `ack` (acknowledgedAt/By, note), `ended` (clearedAt,
 * resolvedBy, resolutionNote) and `suppressed`. A later write from a snapshot that had not seen them
 * lacks those fields and so cannot take them back (the rule of core/alert-merge.ts). Two writers that
 * both set one of them within the same moment, each unaware of the other (a resolve racing ingest's
 * clear), leave the later write's version here, where the history (`get`, reduced in stored order)
 * names the first: the cost of not reading before writing. Everything else is
 * in `body`, the newest snapshot. `active` is a copy of "no `ended`" that InfluxQL can filter on: written
 * true only with a raise or by a writer seeing the alert for the first time, false when ended, so every
 * active alert has it true (an ended one may too, after a late write; readers trust `ended`).
 */
import type { Alert, AlertEvent } from '../../core/alert.js';
import { applyAlertEvent, changesState } from '../../core/alert-merge.js';
import { incidentOf } from '../../core/incidents/settings.js';
import { escapeTag, quoteField } from './line-protocol.js';

export const ALERT_STATE = 'alert_state';

/** FNV-1a of the id, below 1,000: the state point's µs within the millisecond of `raisedAt`. */
function subMs(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return (h >>> 0) % 1000;
}

/** The state point's timestamp, µs. */
export const stateTime = (a: Alert): number => Date.parse(a.raisedAt) * 1000 + subMs(a.id);

/** The fields' one-way parts, as kept apart. */
const ACK_KEYS = ['acknowledgedAt', 'acknowledgedBy', 'note'] as const;
const END_KEYS = ['clearedAt', 'resolvedBy', 'resolutionNote'] as const;

const pick = (a: Alert, keys: readonly (keyof Alert)[]) =>
  JSON.stringify(Object.fromEntries(keys.map((k) => [k, a[k]])));

/**
 * The line that moves an alert from `prev` (this writer's last view of it, if any) to `next`.
 * `raised`: a raise is among the events, so `active` is written as it is.
 */
export function stateLine(prev: Alert | undefined, next: Alert, raised: boolean): string {
  const f = [
    `alert_id=${quoteField(next.id)}`,
    `body=${quoteField(JSON.stringify(next))}`,
    `incident=${quoteField(incidentOf(next))}`,
  ];
  if (!next.active) f.push('active=false');
  else if (raised || prev === undefined) f.push('active=true');
  if (next.acknowledged && !prev?.acknowledged) f.push(`ack=${quoteField(pick(next, ACK_KEYS))}`);
  if (!next.active && prev?.active !== false) f.push(`ended=${quoteField(pick(next, END_KEYS))}`);
  if (next.suppressed && !prev?.suppressed) f.push('suppressed=true');
  const tags = `county=${escapeTag(next.countyId)},device=${escapeTag(next.deviceId)},rule=${escapeTag(next.ruleId)}`;
  return `${ALERT_STATE},${tags} ${f.join(',')} ${stateTime(next)}`;
}

/**
 * The state lines for events about to be stored (in their order): each alert's state after them, merged
 * from the last state `known` gives of it (core/alert-merge.ts), one line per alert.
 */
export function stateChanges(
  events: Iterable<AlertEvent>,
  known: (id: string) => Alert | undefined,
): { lines: string[]; states: Alert[] } {
  const by = new Map<string, { prev: Alert | undefined; next: Alert; raised: boolean }>();
  for (const e of events) {
    if (!changesState(e)) continue;
    const s = by.get(e.alert.id);
    const prev = s ? s.prev : known(e.alert.id);
    by.set(e.alert.id, {
      prev,
      next: applyAlertEvent(s ? s.next : prev, e),
      raised: (s?.raised ?? false) || e.type === 'raised',
    });
  }
  const all = [...by.values()];
  return { lines: all.map((s) => stateLine(s.prev, s.next, s.raised)), states: all.map((s) => s.next) };
}

/** The alert a state point describes: the newest snapshot with the one-way parts laid over it. */
export function alertOfState(row: Record<string, unknown>): Alert | null {
  if (typeof row.body !== 'string') return null;
  const a = JSON.parse(row.body) as Alert;
  const over = (json: unknown, keys: readonly (keyof Alert)[]) => {
    const v = JSON.parse(String(json)) as Record<string, unknown>;
    for (const k of keys) (a as Record<string, unknown>)[k] = v[k];
  };
  if (typeof row.ack === 'string') {
    a.acknowledged = true;
    over(row.ack, ACK_KEYS);
  }
  if (typeof row.ended === 'string') {
    a.active = false;
    over(row.ended, END_KEYS);
  }
  if (row.suppressed === true) a.suppressed = true;
  for (const k of Object.keys(a) as (keyof Alert)[]) if (a[k] === undefined) delete a[k];
  return a;
}
