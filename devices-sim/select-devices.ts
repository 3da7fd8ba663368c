/** The registry devices a run simulates: all, or those of a county or scheme, or the first N of them. */
import type { DeviceInfo, Registry } from '../core/registry.js';
import { err, type Issue, ok, type Result } from '../core/result.js';

export interface Selection {
  county: string | null;
  scheme: string | null;
  devices: number | null;
}

export function selectDevices(registry: Registry, s: Selection): Result<DeviceInfo[]> {
  const issues: Issue[] = [];
  if (s.county && !registry.counties.has(s.county))
    issues.push({ path: '--county', message: `unknown county "${s.county}"` });
  if (s.scheme && !registry.schemes.has(s.scheme))
    issues.push({ path: '--scheme', message: `unknown scheme "${s.scheme}"` });
  if (issues.length > 0) return err(issues);
  const chosen = [...registry.devices.values()].filter(
    (d) => (!s.county || d.countyId === s.county) && (!s.scheme || d.schemeId === s.scheme),
  );
  if (chosen.length === 0) return err([{ path: '--county', message: 'no device matches the selection' }]);
  return ok(s.devices === null ? chosen : chosen.slice(0, s.devices));
}
