/** The schematic's layout: sites in columns by hops from the source, parents centred on their children. */
import { describe, expect, it } from 'vitest';
import { layoutScheme } from '../../web/client/schematic-layout.js';

describe('laying out a scheme', () => {
  it('puts source, plant, reservoir, pipes and taps in successive columns, branches on their own rows', () => {
    const l = layoutScheme([
      { id: 'tap-b', kind: 'tap', upstream: 'p2' },
      { id: 'src', kind: 'source' },
      { id: 'plant', kind: 'plant', upstream: 'src' },
      { id: 'res', kind: 'reservoir', upstream: 'plant' },
      { id: 'p1', kind: 'pipe', upstream: 'res' },
      { id: 'p2', kind: 'pipe', upstream: 'res' },
      { id: 'tap-a', kind: 'tap', upstream: 'p1' },
    ]);
    const at = Object.fromEntries(l.sites.map((s) => [s.id, s]));
    expect([at.src!.depth, at.plant!.depth, at.res!.depth, at.p1!.depth, at['tap-a']!.depth]).toEqual([
      0, 1, 2, 3, 4,
    ]);
    expect(at['tap-a']!.row).toBe(0);
    expect(at['tap-b']!.row).toBe(1);
    // The reservoir feeds both branches: centred between them, and so are the plant and source.
    expect(at.res!.row).toBe(0.5);
    expect(at.src!.row).toBe(0.5);
    expect(l.columns).toBe(5);
    expect(l.rows).toBe(2);
    expect(l.edges).toContainEqual({ from: 'res', to: 'p2' });
    expect(l.edges).toHaveLength(6);
  });

  it('starts a tree for a site whose upstream is elsewhere, and survives a cycle', () => {
    const l = layoutScheme([
      { id: 'a', kind: 'pipe', upstream: 'b' },
      { id: 'b', kind: 'pipe', upstream: 'a' },
      { id: 'c', kind: 'tap', upstream: 'other-scheme-site' },
    ]);
    expect(l.sites.map((s) => s.id).sort()).toEqual(['a', 'b', 'c']);
    expect(new Set(l.sites.map((s) => s.row)).size).toBe(l.sites.length - 1);
  });
});
