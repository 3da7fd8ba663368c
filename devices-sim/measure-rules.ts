/**
 * Measures the false-alarm rate of rules over healthy simulated days (no faults), per rule and site kind:
 * how `quality-anomaly` (off by default) and the operational rules were judged fit, or not, to be on.
 * `npx tsx devices-sim/measure-rules.ts [--days N] [--county ID]... [--enable RULE]... [--override JSON]...`
 * (`--override '{"rule":"quality-anomaly","sigma":6}'`: registry rule overrides, CONTRACT §2).
 */
import { Workspace } from 'epanet-js';
import { loadRegistry } from '../bin/load-registry.js';
import type { ValidReading } from '../core/reading.js';
import type { DeviceInfo } from '../core/registry.js';
import { RULE_IDS, type RuleId, type RuleOverride } from '../core/registry-schema.js';
import { evaluate } from '../core/rules/evaluate.js';
import { type DeviceState, initialState } from '../core/rules/rule-state.js';
import { rulesFor } from '../core/rules/settings.js';
import { createEpanet } from './epanet-run.js';
import { createReadingSource } from './reading-source.js';

const args = process.argv.slice(2);
const values = (flag: string) => args.flatMap((a, i) => (a === flag && args[i + 1] ? [args[i + 1]!] : []));
const days = Number(values('--days')[0] ?? 2);
const counties = values('--county').length > 0 ? values('--county') : ['xiji', 'yongning'];
const enable = values('--enable') as RuleId[];
const registry = loadRegistry(null);
if (!registry.ok) throw new Error('the demo registry is invalid');
const overrides: RuleOverride[] = [
  ...enable.map((rule) => ({ rule, enabled: true })),
  ...values('--override').map((o) => JSON.parse(o) as RuleOverride),
];
const devices = [...registry.value.devices.values()].filter((d) => counties.includes(d.countyId));
const START = Date.parse('2026-05-01T00:00:00+08:00');
const source = createReadingSource({
  registry: registry.value,
  devices,
  faults: [],
  epanet: await createEpanet(new Workspace()),
  seed: 5,
  start: START,
  firstWithinMs: 60_000,
});
// Silence (stale, offline) is judged on a clock and the broker's connections, not on Readings.
const silence = new Set(['stale', 'offline']);
const rules = new Map(devices.map((d) => [d.id, rulesFor(d, overrides).filter((s) => !silence.has(s.rule))]));
const state = new Map<string, DeviceState>();
const counts = new Map<string, number>();
let readings = 0;
source.drain(START + days * 86_400_000, Number.MAX_SAFE_INTEGER, (sim, e) => {
  if (e.mode !== 'send') return;
  const d: DeviceInfo = sim.device;
  const r: ValidReading = { ts: Number(e.reading.ts), values: e.reading.values };
  const out = evaluate(state.get(d.id) ?? initialState(r.ts), d, r, rules.get(d.id)!);
  state.set(d.id, out.state);
  readings++;
  for (const ev of out.events) {
    if (ev.type !== 'raised') continue;
    const key = `${ev.alert.ruleId}|${d.siteKind}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
});
const kinds = [...new Set(devices.map((d) => d.siteKind))];
console.log(
  `${devices.length} devices of ${counties.join(', ')}, ${days} healthy days, ${readings} readings`,
);
console.log('| rule | site kind | devices | alerts | per device-day |');
console.log('|---|---|---|---|---|');
for (const rule of RULE_IDS) {
  for (const kind of kinds) {
    const n = devices.filter(
      (d) => d.siteKind === kind && rules.get(d.id)!.some((s) => s.rule === rule),
    ).length;
    if (n === 0) continue;
    const alerts = counts.get(`${rule}|${kind}`) ?? 0;
    console.log(`| ${rule} | ${kind} | ${n} | ${alerts} | ${(alerts / (n * days)).toFixed(3)} |`);
  }
}
