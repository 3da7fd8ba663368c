/** Where a network fault's incident should be rooted, and which sites its downstream alerts come from (ground truth). */
import { monitoredBelow, topologyOf } from '../core/incidents/topology.js';
import type { DeviceInfo, Registry } from '../core/registry.js';
import type { Fault } from './faults.js';

/**
 * The fault's own site is the right root. When no device of the run watches it (or the fault silences
 * them), the first monitored sites below it are all a platform can name, so they count as right too.
 */
export function faultPlace(
  deps: { registry: Registry; devices: readonly DeviceInfo[] },
  f: Fault,
): { rootSites: string[]; downstreamSites: string[] } {
  const t = topologyOf(deps.registry);
  const watched = new Set(deps.devices.filter((d) => !f.deviceIds.includes(d.id)).map((d) => d.siteId));
  const rootSites = [f.siteId];
  if (!watched.has(f.siteId)) {
    const stack = [...(t.children.get(f.siteId) ?? [])];
    while (stack.length > 0) {
      const s = stack.pop()!;
      if (watched.has(s)) rootSites.push(s);
      else stack.push(...(t.children.get(s) ?? []));
    }
  }
  const downstreamSites = monitoredBelow(t, f.siteId).filter((s) => s !== f.siteId);
  return { rootSites, downstreamSites };
}
