/**
 * A hand-built registry for coverage tests: two prefectures with counties and a third without, a county
 * with nothing in it, scale schemes by capacity, integration and population, and a village served from
 * a neighbouring county.
 */
import type { RegistryFile } from '../../core/registry-schema.js';
import { sha256Hex } from '../../devices-sim/demo-secret.js';
import { apiKey, smallRegistry, token } from '../helpers/small-registry.js';

export function coverageRegistry(): RegistryFile {
  const device = (id: string, site: string, metrics: string[], intervalS: number) => ({
    id,
    site,
    metrics,
    intervalS,
    tokenSha256: sha256Hex(token(id)),
  });
  return {
    ...smallRegistry(),
    prefectures: [
      { id: 'p-north', name: 'North' },
      { id: 'p-south', name: 'South, "the dry one"' },
      { id: 'p-empty', name: 'Empty' },
    ],
    counties: [
      { id: 'c-a', name: 'Alpha', prefecture: 'p-north' },
      { id: 'c-b', name: 'Beta', prefecture: 'p-north' },
      { id: 'c-c', name: 'Gamma', prefecture: 'p-south' },
      { id: 'c-d', name: 'Delta', prefecture: 'p-south' },
    ],
    schemes: [
      // Scale by capacity (≥ 1000 m³/d).
      { id: 's-big', name: 'Big works', county: 'c-a', capacityM3PerDay: 5000, integrated: false },
      // Scale because integrated.
      { id: 's-int', name: 'Integrated', county: 'c-b', capacityM3PerDay: 500, integrated: true },
      // Small: 100 m³/d, 200 people.
      { id: 's-small', name: 'Hill well', county: 'c-b', capacityM3PerDay: 100, integrated: false },
      // Scale by population served (exactly 10,000).
      { id: 's-pop', name: 'Valley', county: 'c-c', capacityM3PerDay: 200, integrated: false },
    ],
    sites: [
      { id: 'big-src', scheme: 's-big', kind: 'source' },
      { id: 'big-plant', scheme: 's-big', kind: 'plant', upstream: 'big-src' },
      { id: 'int-plant', scheme: 's-int', kind: 'plant' },
      { id: 'small-tap', scheme: 's-small', kind: 'tap' },
      { id: 'pop-plant', scheme: 's-pop', kind: 'plant' },
    ],
    devices: [
      device('dv-1', 'big-plant', ['turbidity', 'chlorine', 'ph'], 60),
      device('dv-2', 'big-src', ['turbidity', 'level'], 300),
      device('dv-3', 'int-plant', ['chlorine'], 60),
      device('dv-4', 'small-tap', ['pressure', 'chlorine'], 120),
      device('dv-5', 'pop-plant', ['chlorine', 'ph'], 60),
    ],
    villages: [
      { id: 'v1', county: 'c-a', population: 1000, scheme: 's-big', tap: true },
      { id: 'v2', county: 'c-a', population: 500, scheme: null, tap: false },
      // Served by c-b's integrated scheme, counted in its own county c-a (CONTRACT §6).
      { id: 'v5', county: 'c-a', population: 300, scheme: 's-int', tap: true },
      { id: 'v3', county: 'c-b', population: 800, scheme: 's-int', tap: true },
      { id: 'v4', county: 'c-b', population: 200, scheme: 's-small', tap: true },
      { id: 'v6', county: 'c-c', population: 6000, scheme: 's-pop', tap: true },
      { id: 'v7', county: 'c-c', population: 4000, scheme: 's-pop', tap: true },
    ],
    apiKeys: [
      { id: 'demo-admin', role: 'admin', keySha256: sha256Hex(apiKey('demo-admin')) },
      { id: 'planner', role: 'viewer', keySha256: sha256Hex(apiKey('planner')) },
      { id: 'ops-xiji', role: 'operator', keySha256: sha256Hex(apiKey('ops-xiji')), counties: ['c-a'] },
    ],
  };
}
