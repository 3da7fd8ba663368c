/** Cross-reference checks of a registry: unique ids and every reference naming an existing entry. */

import { checkNotifyReferences } from './notify/refs.js';
import type { NotifySection } from './notify/schema.js';
import {
  type ApiKey,
  type County,
  type Device,
  RULE_IDS,
  type RuleOverride,
  type Scheme,
  type Site,
  type Village,
} from './registry-schema.js';
import type { Issue } from './result.js';

/** Ids that would collide with a fixed topic level (`wl/v1/alerts/...`), so no device may take them. */
const RESERVED_DEVICE_IDS = new Set(['alerts']);

/** The lists of a registry, each item valid or `undefined` where its shape is broken (kept so paths keep their index). */
export interface RefLists {
  prefectures: readonly ({ id: string } | undefined)[];
  counties: readonly (County | undefined)[];
  schemes: readonly (Scheme | undefined)[];
  sites: readonly (Site | undefined)[];
  devices: readonly (Device | undefined)[];
  villages: readonly (Village | undefined)[];
  apiKeys: readonly (ApiKey | undefined)[];
  rules?: readonly (RuleOverride | undefined)[] | undefined;
  notify?: NotifySection | undefined;
  /**
   * The `id` of each item as written, also where the item's shape is broken: a reference to an entry
   * whose other fields are wrong is not also reported as unknown.
   */
  rawIds?: Partial<Record<IdKind, readonly (string | undefined)[]>>;
}
type IdKind = 'prefectures' | 'counties' | 'schemes' | 'sites' | 'devices' | 'villages' | 'apiKeys';

/**
 * Every broken reference and duplicate id, each with its JSON path. Items whose shape is broken
 * (`undefined`) are skipped, so this runs beside the schema errors and a bad registry is reported whole.
 */
export function checkReferences(r: RefLists): Issue[] {
  const issues: Issue[] = [];
  const idsOf = (kind: IdKind, list: readonly ({ id: string } | undefined)[]) => {
    const seen = new Map<string, number>();
    const raw = r.rawIds?.[kind];
    const n = Math.max(list.length, raw?.length ?? 0);
    for (let i = 0; i < n; i++) {
      const id = list[i]?.id ?? raw?.[i];
      if (id === undefined) continue;
      const first = seen.get(id);
      if (first !== undefined) {
        issues.push({
          path: `${kind}[${i}].id`,
          message: `duplicate id "${id}" (first at ${kind}[${first}])`,
        });
      } else seen.set(id, i);
    }
    return seen;
  };
  const prefectures = idsOf('prefectures', r.prefectures);
  const counties = idsOf('counties', r.counties);
  const schemes = idsOf('schemes', r.schemes);
  const sites = idsOf('sites', r.sites);
  const devices = idsOf('devices', r.devices);
  idsOf('villages', r.villages);
  idsOf('apiKeys', r.apiKeys);

  const ref = (set: Map<string, number>, what: string, id: string | null | undefined, path: string) => {
    if (id != null && !set.has(id)) issues.push({ path, message: `unknown ${what} "${id}"` });
  };
  for (const [i, c] of r.counties.entries())
    if (c) ref(prefectures, 'prefecture', c.prefecture, `counties[${i}].prefecture`);
  for (const [i, s] of r.schemes.entries()) if (s) ref(counties, 'county', s.county, `schemes[${i}].county`);
  each(r.sites, (s, i) => {
    ref(schemes, 'scheme', s.scheme, `sites[${i}].scheme`);
    ref(sites, 'site', s.upstream, `sites[${i}].upstream`);
    if (s.upstream === s.id)
      issues.push({ path: `sites[${i}].upstream`, message: 'a site cannot feed itself' });
  });
  each(r.devices, (d, i) => {
    ref(sites, 'site', d.site, `devices[${i}].site`);
    if (RESERVED_DEVICE_IDS.has(d.id)) {
      issues.push({ path: `devices[${i}].id`, message: `"${d.id}" is reserved by the topic tree` });
    }
    const dup = d.metrics.find((m, j) => d.metrics.indexOf(m) !== j);
    if (dup) issues.push({ path: `devices[${i}].metrics`, message: `metric "${dup}" is listed twice` });
  });
  each(r.villages, (v, i) => {
    ref(counties, 'county', v.county, `villages[${i}].county`);
    ref(schemes, 'scheme', v.scheme, `villages[${i}].scheme`);
  });
  each(r.apiKeys, (k, i) => {
    for (const [j, c] of (k.counties ?? []).entries())
      ref(counties, 'county', c, `apiKeys[${i}].counties[${j}]`);
  });
  const keyHashes = new Map<string, number>();
  each(r.apiKeys, (k, i) => {
    const first = keyHashes.get(k.keySha256);
    if (first !== undefined) {
      issues.push({ path: `apiKeys[${i}].keySha256`, message: `same key as apiKeys[${first}]` });
    } else keyHashes.set(k.keySha256, i);
  });
  each(r.rules ?? [], (rule, i) => {
    ref(sites, 'site', rule.site, `rules[${i}].site`);
    ref(devices, 'device', rule.device, `rules[${i}].device`);
  });
  issues.push(...checkUpstreamCycles(r));
  if (r.notify)
    issues.push(
      ...checkNotifyReferences(r.notify, {
        prefectures: new Set(prefectures.keys()),
        counties: new Set(counties.keys()),
        schemes: new Set(schemes.keys()),
        rules: new Set<string>(RULE_IDS),
      }),
    );
  return issues;
}

/** Calls `f` for each valid item with its index in the file. */
function each<T>(list: readonly (T | undefined)[], f: (item: T, i: number) => void): void {
  for (const [i, item] of list.entries()) if (item !== undefined) f(item, i);
}

/** The supply topology must be a forest: following `upstream` from any site ends. */
function checkUpstreamCycles(r: RefLists): Issue[] {
  const up = new Map<string, string | undefined>();
  for (const s of r.sites) if (s) up.set(s.id, s.upstream);
  const issues: Issue[] = [];
  each(r.sites, (s, i) => {
    const seen = new Set<string>([s.id]);
    let next = s.upstream;
    while (next !== undefined && up.has(next)) {
      if (seen.has(next)) {
        if (next === s.id && s.upstream !== s.id) {
          issues.push({
            path: `sites[${i}].upstream`,
            message: `upstream chain from "${s.id}" loops back to it`,
          });
        }
        return;
      }
      seen.add(next);
      next = up.get(next);
    }
  });
  return issues;
}
