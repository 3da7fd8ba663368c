/** The demo registry reads naturally: Chinese names with English ones, per-county populations that vary, stable devices. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseRegistry } from '../core/registry.js';
import { COUNTIES } from '../devices-sim/ningxia.js';

const file = JSON.parse(readFileSync(new URL('../devices-sim/demo-registry.json', import.meta.url), 'utf8'));
const parsed = parseRegistry(file);
const r = parsed.ok ? parsed.value : null;
const han = /\p{Script=Han}/u;

describe('demo registry names and figures', () => {
  it('names the region, prefectures, counties, schemes and sites in Chinese, with English names beside', () => {
    expect(r).not.toBeNull();
    const named = [
      r!.file.region,
      ...r!.file.prefectures,
      ...r!.file.counties,
      ...r!.file.schemes,
      ...r!.file.sites,
    ];
    for (const x of named) {
      expect(x.name, JSON.stringify(x)).toMatch(han);
      expect(x.nameEn, JSON.stringify(x)).toMatch(/^[\x20-\x7e]+$/);
    }
    expect(r!.file.region.timeZone).toBe('Asia/Shanghai');
  });

  it('gives each county its own rural population, none shared, from the per-county figures', () => {
    const by = new Map<string, number>();
    for (const v of r!.file.villages) by.set(v.county, (by.get(v.county) ?? 0) + v.population);
    expect([...by.entries()].sort()).toEqual(COUNTIES.map((c) => [c.id, c.people]).sort());
    expect(new Set(by.values()).size).toBe(COUNTIES.length);
    const total = [...by.values()].reduce((a, b) => a + b, 0);
    expect(total % 1000).not.toBe(0);
    expect(total % 1000).not.toBe(999);
  });

  it('keeps the 1,063 devices with ids d-0001 to d-1063 that tests and the simulator use', () => {
    expect(r!.file.devices.map((d) => d.id)).toEqual(
      Array.from({ length: 1063 }, (_, i) => `d-${String(i + 1).padStart(4, '0')}`),
    );
  });
});
