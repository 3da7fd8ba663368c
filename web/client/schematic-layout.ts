/** Lays a scheme's sites out left to right along their `upstream` links: source → plant → reservoir → pipes → taps. */

export interface SchematicSite {
  id: string;
  kind: string;
  upstream?: string | null;
}

export interface PlacedSite {
  id: string;
  /** Hops from the root (the site with no upstream in the scheme). */
  depth: number;
  /** Row, fractional for a parent centred on its children. */
  row: number;
}

export interface SchematicLayout {
  sites: PlacedSite[];
  edges: { from: string; to: string }[];
  columns: number;
  rows: number;
}

const KIND_ORDER = ['source', 'plant', 'reservoir', 'pipe', 'tap'];

/**
 * A tidy tree: each leaf takes the next row, each parent sits at the middle of its children, so
 * branches never cross. A site whose upstream is not in the scheme (or missing) starts a tree of its
 * own; a cycle (which the registry should never have) is broken where it is found.
 */
export function layoutScheme(sites: readonly SchematicSite[]): SchematicLayout {
  const byId = new Map(sites.map((s) => [s.id, s]));
  const children = new Map<string, SchematicSite[]>();
  const roots: SchematicSite[] = [];
  for (const s of sites) {
    const up = s.upstream && byId.has(s.upstream) ? s.upstream : null;
    if (up) children.set(up, [...(children.get(up) ?? []), s]);
    else roots.push(s);
  }
  const order = (a: SchematicSite, b: SchematicSite) =>
    KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || a.id.localeCompare(b.id);
  const placed = new Map<string, PlacedSite>();
  const edges: { from: string; to: string }[] = [];
  let nextRow = 0;
  let columns = 0;

  const place = (s: SchematicSite, depth: number): number => {
    columns = Math.max(columns, depth + 1);
    const kids = (children.get(s.id) ?? []).filter((k) => !placed.has(k.id)).sort(order);
    // Reserve the site before its children so a cycle back to it stops here.
    placed.set(s.id, { id: s.id, depth, row: 0 });
    const rows = kids.map((k) => {
      edges.push({ from: s.id, to: k.id });
      return place(k, depth + 1);
    });
    const row = rows.length > 0 ? (rows[0]! + rows[rows.length - 1]!) / 2 : nextRow++;
    placed.set(s.id, { id: s.id, depth, row });
    return row;
  };
  for (const r of roots.sort(order)) place(r, 0);
  // Sites only reachable through a cycle: laid out from themselves.
  for (const s of [...sites].sort(order)) if (!placed.has(s.id)) place(s, 0);
  return { sites: [...placed.values()], edges, columns, rows: nextRow };
}
