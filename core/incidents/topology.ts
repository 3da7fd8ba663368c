/** The supply topology of the registry's `upstream` links, indexed for incident grouping (pure). */
import type { Registry } from '../registry.js';

export interface TopoSite {
  id: string;
  upstream?: string;
  schemeId: string;
  countyId: string;
  /** At least one device reports from the site. */
  monitored: boolean;
}

export interface Topology {
  sites: ReadonlyMap<string, TopoSite>;
  /** Sites fed by each site. */
  children: ReadonlyMap<string, readonly string[]>;
}

/** A topology from plain site records (tests and the registry share it). */
export function buildTopology(sites: readonly TopoSite[]): Topology {
  const byId = new Map(sites.map((s) => [s.id, s]));
  const children = new Map<string, string[]>();
  for (const s of sites) {
    if (s.upstream === undefined || !byId.has(s.upstream)) continue;
    const list = children.get(s.upstream) ?? [];
    list.push(s.id);
    children.set(s.upstream, list);
  }
  return { sites: byId, children };
}

/** Built once per registry value (a reload makes a new one): the tracker, the API and scoring share it. */
const built = new WeakMap<Registry, Topology>();

/** The registry's sites with their scheme's county and whether a device watches them. */
export function topologyOf(registry: Registry): Topology {
  let t = built.get(registry);
  if (!t) {
    t = buildTopologyOf(registry);
    built.set(registry, t);
  }
  return t;
}

function buildTopologyOf(registry: Registry): Topology {
  const monitored = new Set([...registry.devices.values()].map((d) => d.siteId));
  return buildTopology(
    registry.file.sites.map((s) => ({
      id: s.id,
      ...(s.upstream !== undefined ? { upstream: s.upstream } : {}),
      schemeId: s.scheme,
      countyId: registry.schemes.get(s.scheme)?.county ?? '',
      monitored: monitored.has(s.id),
    })),
  );
}

/** The site and every site upstream of it, nearest first (bounded, so a cycle cannot loop). */
export function ancestry(t: Topology, siteId: string): string[] {
  const out: string[] = [];
  let at: string | undefined = siteId;
  while (at !== undefined && t.sites.has(at) && !out.includes(at) && out.length < 1000) {
    out.push(at);
    at = t.sites.get(at)?.upstream;
  }
  return out;
}

/** The nearest site both are fed by (or are), or null when they are in different networks. */
export function commonAncestor(t: Topology, a: string, b: string): string | null {
  const up = new Set(ancestry(t, a));
  return ancestry(t, b).find((s) => up.has(s)) ?? null;
}

/** Every monitored site fed by `siteId` (itself included when monitored). */
export function monitoredBelow(t: Topology, siteId: string): string[] {
  const out: string[] = [];
  const stack = [siteId];
  const seen = new Set<string>();
  while (stack.length > 0) {
    const s = stack.pop()!;
    if (seen.has(s)) continue;
    seen.add(s);
    if (t.sites.get(s)?.monitored) out.push(s);
    for (const c of t.children.get(s) ?? []) stack.push(c);
  }
  return out;
}

/**
 * The root cause of alerts at `alerting` sites: the most upstream alerting site when it feeds all the
 * others; otherwise the nearest site feeding them all, and further up through sites with no device whose
 * every monitored downstream site alarms: a burst or outage between devices is where nothing can see it.
 */
export function rootCause(t: Topology, alerting: ReadonlySet<string>): string | null {
  let root: string | null = null;
  for (const s of alerting) {
    if (!t.sites.has(s)) continue;
    root = root === null ? s : commonAncestor(t, root, s);
    if (root === null) return [...alerting][0] ?? null;
  }
  // The most upstream alerting site feeding all the others is the root; only when the common site is
  // silent can the cause lie further up, between devices.
  if (root === null || alerting.has(root)) return root;
  let at: string = root;
  for (;;) {
    const up: string | undefined = t.sites.get(at)?.upstream;
    const site: TopoSite | undefined = up === undefined ? undefined : t.sites.get(up);
    if (!site || site.monitored) return at;
    const below = monitoredBelow(t, site.id);
    if (below.length === 0 || !below.every((s) => alerting.has(s))) return at;
    at = site.id;
  }
}
