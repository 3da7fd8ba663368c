/** Cross-reference checks of a registry: unique ids and every reference naming an existing entry. */

import { checkNotifyReferences } from './notify/refs.js';
import { type RegistryFile, RULE_IDS } from './registry-schema.js';
import type { Issue } from './result.js';

/** Ids that would collide with a fixed topic level (`wl/v1/alerts/...`), so no device may take them. */
const RESERVED_DEVICE_IDS = new Set(['alerts']);

/** Every broken reference and duplicate id, each with its JSON path. */
export function checkReferences(r: RegistryFile): Issue[] {
  const issues: Issue[] = [];
  const idsOf = (kind: keyof RegistryFile, list: readonly { id: string }[]) => {
    const seen = new Map<string, number>();
    list.forEach((item, i) => {
      const first = seen.get(item.id);
      if (first !== undefined) {
        issues.push({
          path: `${kind}[${i}].id`,
          message: `duplicate id "${item.id}" (first at ${kind}[${first}])`,
        });
      } else seen.set(item.id, i);
    });
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
    ref(prefectures, 'prefecture', c.prefecture, `counties[${i}].prefecture`);
  for (const [i, s] of r.schemes.entries()) ref(counties, 'county', s.county, `schemes[${i}].county`);
  r.sites.forEach((s, i) => {
    ref(schemes, 'scheme', s.scheme, `sites[${i}].scheme`);
    ref(sites, 'site', s.upstream, `sites[${i}].upstream`);
    if (s.upstream === s.id)
      issues.push({ path: `sites[${i}].upstream`, message: 'a site cannot feed itself' });
  });
  r.devices.forEach((d, i) => {
    ref(sites, 'site', d.site, `devices[${i}].site`);
    if (RESERVED_DEVICE_IDS.has(d.id)) {
      issues.push({ path: `devices[${i}].id`, message: `"${d.id}" is reserved by the topic tree` });
    }
    const dup = d.metrics.find((m, j) => d.metrics.indexOf(m) !== j);
    if (dup) issues.push({ path: `devices[${i}].metrics`, message: `metric "${dup}" is listed twice` });
  });
  r.villages.forEach((v, i) => {
    ref(counties, 'county', v.county, `villages[${i}].county`);
    ref(schemes, 'scheme', v.scheme, `villages[${i}].scheme`);
  });
  r.apiKeys.forEach((k, i) => {
    for (const [j, c] of (k.counties ?? []).entries())
      ref(counties, 'county', c, `apiKeys[${i}].counties[${j}]`);
  });
  const keyHashes = new Map<string, number>();
  r.apiKeys.forEach((k, i) => {
    const first = keyHashes.get(k.keySha256);
    if (first !== undefined) {
      issues.push({ path: `apiKeys[${i}].keySha256`, message: `same key as apiKeys[${first}]` });
    } else keyHashes.set(k.keySha256, i);
  });
  (r.rules ?? []).forEach((rule, i) => {
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

/** The supply topology must be a forest: following `upstream` from any site ends. */
function checkUpstreamCycles(r: RegistryFile): Issue[] {
  const up = new Map(r.sites.map((s) => [s.id, s.upstream]));
  const issues: Issue[] = [];
  r.sites.forEach((s, i) => {
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
