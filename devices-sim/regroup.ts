/**
 * Re-scores a finished run's grouping with the current incident tracker: the tracker is a pure function
 * of the alert events and the topology, so replaying the run's stored events through it gives the
 * incidents ingest would have formed. `npx tsx devices-sim/regroup.ts --db DATA/waterline.db --truth FILE [--registry FILE]`
 */
import { readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { loadRegistry } from '../bin/load-registry.js';
import type { Alert, AlertEvent } from '../core/alert.js';
import { assign, emptyIncidents } from '../core/incidents/assign.js';
import { summariseIncident } from '../core/incidents/summary.js';
import { topologyOf } from '../core/incidents/topology.js';
import { formatScore } from './format-score.js';
import { scoreAlerts } from './score.js';
import { parseTruth } from './truth-record.js';

const args = process.argv.slice(2);
const arg = (flag: string) => args[args.indexOf(flag) + 1];
const registry = loadRegistry(arg('--registry') ?? null);
if (!registry.ok) throw new Error('invalid registry');
const truth = parseTruth(readFileSync(arg('--truth')!, 'utf8'));
if (!truth.ok) throw new Error(truth.issues.join('\n'));
const topology = topologyOf(registry.value);
const db = new Database(arg('--db')!, { readonly: true });
const rows = db.prepare<[], { body: string }>('SELECT body FROM alert_events ORDER BY seq').all();
let state = emptyIncidents();
const alerts = new Map<string, Alert>();
for (const { body } of rows) {
  const e = JSON.parse(body) as AlertEvent;
  if (e.type !== 'raised' && e.type !== 'cleared') continue;
  const { incidentId: _, ...alert } = e.alert;
  const r = assign(state, { type: e.type, at: e.at, alert }, topology);
  state = r.state;
  const prev = alerts.get(alert.id);
  alerts.set(alert.id, {
    ...(prev ?? r.event.alert),
    active: r.event.alert.active,
    incidentId: r.event.incidentId,
  });
  for (const g of r.grouped)
    alerts.set(g.alert.id, { ...(alerts.get(g.alert.id) ?? g.alert), incidentId: g.incidentId });
}
const groups = new Map<string, Alert[]>();
for (const a of alerts.values()) groups.set(a.incidentId!, [...(groups.get(a.incidentId!) ?? []), a]);
const roots = new Map(
  [...groups].map(([id, list]) => [id, summariseIncident(id, list, topology).rootSiteId]),
);
const { run, faults, end } = truth.value;
const simEnd = end ? Date.parse(end.simEnd) : Date.parse(run.simStart) + (run.durationMs ?? 0);
const score = scoreAlerts({
  run,
  faults,
  alerts: [...alerts.values()],
  incidentRoots: roots,
  simEnd,
  wallEnd: end ? Date.parse(end.wallEnd) : Date.now(),
});
console.log(formatScore(score, run, arg('--truth')!));
