/** The committed demo registry is valid and its derived figures look like Ningxia's. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseRegistry, type Registry } from '../core/registry.js';

const text = readFileSync(new URL('../devices-sim/demo-registry.json', import.meta.url), 'utf8');

function load(): Registry {
  const parsed = parseRegistry(JSON.parse(text));
  expect(parsed.ok ? [] : parsed.issues).toEqual([]);
  if (!parsed.ok) throw new Error('demo registry is invalid');
  return parsed.value;
}

describe('demo registry', () => {
  it('parses, with the five prefectures and 22 counties', () => {
    const r = load();
    expect(r.file.prefectures).toHaveLength(5);
    expect(r.file.counties).toHaveLength(22);
  });

  it('has a tap-water rate and scale coverage just short of the 2027 targets', () => {
    const r = load();
    let rural = 0;
    let tap = 0;
    let scale = 0;
    for (const v of r.file.villages) {
      rural += v.population;
      if (v.tap) tap += v.population;
      if (v.scheme !== null && r.schemes.get(v.scheme)?.scale) scale += v.population;
    }
    expect(tap / rural).toBeGreaterThanOrEqual(0.96);
    expect(tap / rural).toBeLessThanOrEqual(0.98);
    expect(scale / rural).toBeGreaterThanOrEqual(0.89);
    expect(scale / rural).toBeLessThanOrEqual(0.93);
  });

  it('has 100–250 scale schemes and at least 300 small ones', () => {
    const schemes = [...load().schemes.values()];
    const scale = schemes.filter((s) => s.scale).length;
    expect(scale).toBeGreaterThanOrEqual(100);
    expect(scale).toBeLessThanOrEqual(250);
    expect(schemes.length - scale).toBeGreaterThanOrEqual(300);
  });

  it('gives every device a reporting interval of 30–300 s', () => {
    for (const d of load().file.devices) {
      expect(d.intervalS).toBeGreaterThanOrEqual(30);
      expect(d.intervalS).toBeLessThanOrEqual(300);
    }
  });
});
