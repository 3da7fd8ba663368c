/** The registry schema: shape errors and cross-references each reported with their JSON path. */
import { describe, expect, it } from 'vitest';
import { parseRegistry, parseRegistryText } from '../../core/registry.js';
import { smallRegistry } from '../helpers/small-registry.js';

const paths = (json: unknown) => {
  const r = parseRegistry(json);
  return r.ok ? [] : r.issues.map((i) => `${i.path}: ${i.message}`);
};

describe('registry', () => {
  it('accepts a valid registry and indexes devices with their site, scheme and county', () => {
    const r = parseRegistry(smallRegistry());
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const d = r.value.devices.get('d-0002')!;
    expect(d).toMatchObject({
      siteId: 'xiji-s1-p1',
      siteKind: 'pipe',
      schemeId: 'xiji-s1',
      countyId: 'xiji',
      prefectureId: 'guyuan',
    });
    expect([...d.metricSet]).toEqual(['pressure', 'chlorine']);
  });

  it('derives scale schemes from integration, capacity or population served', () => {
    const file = smallRegistry();
    file.schemes.push(
      { id: 'big-cap', name: 'b', county: 'xiji', capacityM3PerDay: 1000, integrated: false },
      { id: 'big-pop', name: 'p', county: 'xiji', capacityM3PerDay: 10, integrated: false },
      { id: 'almost', name: 'a', county: 'xiji', capacityM3PerDay: 999, integrated: false },
    );
    file.villages.push(
      { id: 'v-big', county: 'xiji', population: 10_000, scheme: 'big-pop', tap: true },
      { id: 'v-almost', county: 'xiji', population: 9_999, scheme: 'almost', tap: true },
    );
    const r = parseRegistry(file);
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    const scale = (id: string) => r.value.schemes.get(id)!.scale;
    expect([
      scale('xiji-s1'),
      scale('longde-w1'),
      scale('big-cap'),
      scale('big-pop'),
      scale('almost'),
    ]).toEqual([true, false, true, true, false]);
  });

  it('reports every broken reference with its path', () => {
    const file = smallRegistry();
    file.devices[1]!.site = 'nowhere';
    file.sites[2]!.scheme = 'no-scheme';
    file.villages[0]!.county = 'no-county';
    file.villages[1]!.scheme = 'no-scheme';
    file.counties[1]!.prefecture = 'no-pref';
    file.apiKeys[2]!.counties = ['xiji', 'atlantis'];
    expect(paths(file)).toEqual(
      expect.arrayContaining([
        'devices[1].site: unknown site "nowhere"',
        'sites[2].scheme: unknown scheme "no-scheme"',
        'villages[0].county: unknown county "no-county"',
        'villages[1].scheme: unknown scheme "no-scheme"',
        'counties[1].prefecture: unknown prefecture "no-pref"',
        'apiKeys[2].counties[1]: unknown county "atlantis"',
      ]),
    );
  });

  it('reports duplicate ids and upstream loops', () => {
    const file = smallRegistry();
    file.devices.push({ ...file.devices[0]! });
    file.sites[0]!.upstream = 'xiji-s1-plant';
    const issues = paths(file);
    expect(issues).toContain('devices[3].id: duplicate id "d-0001" (first at devices[0])');
    expect(issues.some((i) => i.startsWith('sites[0].upstream: upstream chain'))).toBe(true);
  });

  it('reports shape errors with their paths, all at once', () => {
    const file = smallRegistry() as unknown as Record<string, unknown[]>;
    (file.devices![0] as Record<string, unknown>).metrics = ['turbidity', 'colour'];
    (file.devices![1] as Record<string, unknown>).id = 'Bad_Id';
    (file.sites![1] as Record<string, unknown>).kind = 'castle';
    (file.villages![0] as Record<string, unknown>).population = -1;
    const issues = paths(file);
    expect(issues.map((i) => i.split(':')[0])).toEqual(
      expect.arrayContaining([
        'devices[0].metrics[1]',
        'devices[1].id',
        'sites[1].kind',
        'villages[0].population',
      ]),
    );
  });

  it('reports schema and cross-reference errors together, in one run', () => {
    const file = smallRegistry() as unknown as Record<string, Record<string, unknown>[]>;
    file.villages![0]!.population = 'many';
    file.devices![2]!.site = 'nowhere';
    // A device on a site whose own shape is broken is not also told its site is unknown.
    file.sites![2]!.kind = 'castle';
    file.devices![0]!.intervalS = 0;
    file.devices![0]!.site = 'gone';
    const issues = paths(file);
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^villages\[0\]\.population: /),
        expect.stringMatching(/^sites\[2\]\.kind: /),
        expect.stringMatching(/^devices\[0\]\.intervalS: /),
        'devices[2].site: unknown site "nowhere"',
      ]),
    );
    expect(issues.filter((i) => i.includes('unknown site'))).toEqual([
      'devices[2].site: unknown site "nowhere"',
    ]);
  });

  it('refuses a rule override with two scopes and a device id that collides with the topic tree', () => {
    const file = smallRegistry();
    file.rules = [{ rule: 'ph-range', site: 'xiji-s1-plant', device: 'd-0001', max: 8 }];
    expect(paths(file)[0]).toMatch(/^rules\[0\]: a rule override names at most one scope/);
    const file2 = smallRegistry();
    file2.devices[0]!.id = 'alerts';
    expect(paths(file2)).toContain('devices[0].id: "alerts" is reserved by the topic tree');
  });

  it('explains text that is not JSON', () => {
    const r = parseRegistryText('{"version": 1,');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues[0]!.message).toMatch(/^not valid JSON/);
  });
});
