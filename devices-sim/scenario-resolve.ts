/** Turns scenario entries into concrete faults: a site or device each, and start and end times. */

import type { DeviceInfo, Registry } from '../core/registry.js';
import type { Site } from '../core/registry-schema.js';
import { err, type Issue, ok, type Result } from '../core/result.js';
import { parseRfc3339 } from '../core/time.js';
import { type Fault, NETWORK_KINDS, type ScenarioEntry } from './faults.js';
import { createRandom, hashSeed } from './random.js';
import { GRID_MS } from './scheme-model.js';

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** `+1d2h30m` (after the simulation's start), an RFC 3339 time, or `null` when neither. */
export function parseAt(text: string, simStart: number): number | null {
  if (/^\+(\d{1,9}[smhd])+$/.test(text)) {
    let ms = 0;
    for (const m of text.matchAll(/(\d+)([smhd])/g))
      ms += Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
    return simStart + ms;
  }
  return parseRfc3339(text);
}

export const parseFor = (text: string) =>
  Number(text.slice(0, -1)) * UNIT_MS[text.slice(-1) as keyof typeof UNIT_MS];

/** Devices downstream of a site (itself included), following `upstream` links. */
export function downstreamSites(registry: Registry, siteId: string): Set<string> {
  const out = new Set([siteId]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const s of registry.file.sites) {
      if (s.upstream && out.has(s.upstream) && !out.has(s.id)) {
        out.add(s.id);
        grew = true;
      }
    }
  }
  return out;
}

export interface ResolveInput {
  registry: Registry;
  /** The devices this run simulates; random picks come from among them. */
  devices: readonly DeviceInfo[];
  entries: readonly ScenarioEntry[];
  seed: number;
  simStart: number;
}

export function resolveScenario(input: ResolveInput): Result<Fault[]> {
  const { registry, devices } = input;
  const issues: Issue[] = [];
  const faults: Fault[] = [];
  const usedSchemes = new Set<string>();
  const rnd = createRandom(hashSeed('scenario', input.seed));
  const schemesInRun = new Set(devices.map((d) => d.schemeId));
  const devicesAt = (sites: Set<string>) => devices.filter((d) => sites.has(d.siteId));
  // The hydraulic model steps every 5 minutes from the first network fault (scheme-model.ts), not from
  // the epoch: so the first starts exactly when the scenario says ("+1m" at 1 min, not at the next
  // 5-minute mark), and later ones move to that fault's grid.
  const networkTimes = input.entries
    .filter((e) => NETWORK_KINDS.has(e.kind))
    .map((e) => parseAt(e.at, input.simStart))
    .filter((t): t is number => t !== null);
  const anchor = networkTimes.length > 0 ? Math.min(...networkTimes) : input.simStart;
  const onGrid = (ts: number) => anchor + Math.ceil((ts - anchor) / GRID_MS) * GRID_MS;

  input.entries.forEach((e, i) => {
    const where = `faults[${i}]`;
    const at = parseAt(e.at, input.simStart);
    if (at === null) {
      issues.push({ path: `${where}.at`, message: `"${e.at}" is neither +<n>[smhd] nor an RFC 3339 time` });
      return;
    }
    const network = NETWORK_KINDS.has(e.kind);
    // Network faults move on the hydraulic model's 5-minute grid, anchored at the first of them.
    const start = network ? onGrid(at) : at;
    const end = network ? onGrid(at + parseFor(e.for)) : at + parseFor(e.for);
    const inScope = (schemeId: string, countyId: string) =>
      (!e.scheme || e.scheme === schemeId) && (!e.county || e.county === countyId);

    let targets: { site: Site; device?: DeviceInfo }[];
    if (network) {
      const wantKind =
        e.kind === 'burst' ? ['pipe', 'tap'] : e.kind === 'source-turbidity' ? ['source'] : ['plant'];
      const metric =
        e.kind === 'burst' ? 'pressure' : e.kind === 'source-turbidity' ? 'turbidity' : 'chlorine';
      if (e.site) {
        const site = registry.sites.get(e.site);
        if (!site || !wantKind.includes(site.kind)) {
          issues.push({
            path: `${where}.site`,
            message: `${e.kind} needs a ${wantKind.join(' or ')} site; "${e.site}" is not one`,
          });
          return;
        }
        targets = [{ site }];
      } else {
        // Places where the fault shows on a monitored metric of this run, so it can be detected at all.
        const candidates = registry.file.sites.filter((s) => {
          const scheme = registry.schemes.get(s.scheme)!;
          if (!wantKind.includes(s.kind) || !schemesInRun.has(s.scheme) || !inScope(s.scheme, scheme.county))
            return false;
          const root = e.kind === 'source-turbidity' ? s.id : s.id;
          const below = devicesAt(downstreamSites(registry, root));
          return below.some(
            (d) => d.metricSet.has(metric) && (metric !== 'turbidity' || d.siteKind !== 'source'),
          );
        });
        targets = pick(rnd, candidates, e.count ?? 1, (s) => s.scheme, usedSchemes).map((site) => ({ site }));
      }
    } else {
      const metricOk = (d: DeviceInfo) => !e.metric || d.metricSet.has(e.metric);
      if (e.device) {
        const device = registry.devices.get(e.device);
        if (!device || !metricOk(device)) {
          issues.push({
            path: `${where}.device`,
            message: device
              ? `device "${e.device}" does not report ${e.metric}`
              : `unknown device "${e.device}"`,
          });
          return;
        }
        targets = [{ site: registry.sites.get(device.siteId)!, device }];
      } else {
        const candidates = devices.filter(
          (d) => inScope(d.schemeId, d.countyId) && metricOk(d) && suits(e, d),
        );
        targets = pick(rnd, candidates, e.count ?? 1, (d) => d.schemeId, usedSchemes).map((device) => ({
          site: registry.sites.get(device.siteId)!,
          device,
        }));
      }
    }
    if (targets.length === 0) {
      issues.push({
        path: where,
        message: `no place in this run suits ${e.kind}${e.county ? ` in ${e.county}` : ''}`,
      });
      return;
    }
    for (const t of targets) {
      const scheme = registry.schemes.get(t.site.scheme)!;
      const plantDevices =
        e.kind === 'plant-outage' && e.devicesOffline !== false ? devicesAt(new Set([t.site.id])) : [];
      faults.push({
        id: `f-${String(faults.length + 1).padStart(3, '0')}`,
        kind: e.kind,
        start,
        end,
        schemeId: scheme.id,
        countyId: scheme.county,
        siteId: t.site.id,
        deviceIds: t.device ? [t.device.id] : plantDevices.map((d) => d.id),
        ...(t.device ? { metric: e.metric ?? defaultMetric(e, t.device) } : {}),
        params: params(e),
      });
    }
  });
  return issues.length > 0 ? err(issues) : ok(faults);
}

/** Devices a device fault makes sense on when picked at random. */
function suits(e: ScenarioEntry, d: DeviceInfo): boolean {
  if (e.kind === 'sensor-drift') return defaultMetric(e, d) !== undefined;
  if (e.kind === 'sensor-spike') return ['turbidity', 'chlorine'].some((m) => d.metricSet.has(m as never));
  // Short intervals, so going silent is noticed within the scenario's window even in a fast replay.
  if (e.kind === 'device-offline' || e.kind === 'clock-skew') return d.intervalS <= 120;
  return true;
}

function defaultMetric(e: ScenarioEntry, d: DeviceInfo): DeviceInfo['metrics'][number] | undefined {
  if (e.metric) return e.metric;
  if (e.kind === 'sensor-drift')
    return d.metricSet.has('chlorine') && d.siteKind !== 'source' ? 'chlorine' : undefined;
  if (e.kind === 'sensor-spike') return d.metricSet.has('turbidity') ? 'turbidity' : 'chlorine';
  return undefined;
}

function params(e: ScenarioEntry): Fault['params'] {
  const p: Fault['params'] = {};
  for (const key of [
    'severity',
    'fraction',
    'peakNtu',
    'ratePerHour',
    'skewS',
    'devicesOffline',
    'probability',
    'storeAndForward',
  ] as const) {
    if (e[key] !== undefined) (p as Record<string, unknown>)[key] = e[key];
  }
  return p;
}

/** `count` of the candidates, seeded; one per scheme while fresh schemes remain, so faults do not overlap. */
function pick<T>(
  rnd: () => number,
  list: readonly T[],
  count: number,
  schemeOf: (x: T) => string,
  used: Set<string>,
): T[] {
  const order = [...list];
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  order.sort((a, b) => Number(used.has(schemeOf(a))) - Number(used.has(schemeOf(b))));
  const out: T[] = [];
  for (const x of order) {
    if (out.length >= count) break;
    if (
      out.some((y) => schemeOf(y) === schemeOf(x)) &&
      order.some((z) => !used.has(schemeOf(z)) && !out.includes(z))
    )
      continue;
    out.push(x);
    used.add(schemeOf(x));
  }
  return out;
}
