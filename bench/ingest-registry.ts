/** The benchmark's registry: many devices at network sites of scale schemes, with demo tokens and an admin key. */

import type { RegistryFile } from '../core/registry-schema.js';
import { demoApiKey, demoDeviceToken, sha256Hex } from '../devices-sim/demo-secret.js';
import { NINGXIA_2027_TARGETS } from '../devices-sim/ningxia.js';

export const benchDeviceId = (i: number) => `b-${String(i).padStart(5, '0')}`;
export const benchToken = (id: string) => demoDeviceToken(id);
export const benchAdminKey = () => demoApiKey('demo-admin');

/** `devices` devices, 100 per scheme, each measuring free chlorine and pressure at a pipe site. */
export function benchRegistry(devices: number): RegistryFile {
  const schemes = Math.ceil(devices / 100);
  const county = (s: number) => (s % 2 === 0 ? 'xiji' : 'longde');
  return {
    version: 1,
    region: { id: 'nx', name: 'Ningxia' },
    targets: { ...NINGXIA_2027_TARGETS },
    prefectures: [{ id: 'guyuan', name: 'Guyuan' }],
    counties: [
      { id: 'xiji', name: 'Xiji', prefecture: 'guyuan' },
      { id: 'longde', name: 'Longde', prefecture: 'guyuan' },
    ],
    schemes: Array.from({ length: schemes }, (_, s) => ({
      id: `s-${s}`,
      name: `Scheme ${s}`,
      county: county(s),
      capacityM3PerDay: 5000,
      integrated: false,
    })),
    sites: Array.from({ length: devices }, (_, i) => ({
      id: `p-${i}`,
      scheme: `s-${Math.floor(i / 100)}`,
      kind: 'pipe' as const,
    })),
    devices: Array.from({ length: devices }, (_, i) => ({
      id: benchDeviceId(i),
      site: `p-${i}`,
      metrics: ['chlorine', 'pressure'],
      // Hourly, so no device goes stale while the benchmark runs.
      intervalS: 3600,
      tokenSha256: sha256Hex(benchToken(benchDeviceId(i))),
    })),
    villages: Array.from({ length: schemes }, (_, s) => ({
      id: `v-${s}`,
      county: county(s),
      population: 2000,
      scheme: `s-${s}`,
      tap: true,
    })),
    apiKeys: [{ id: 'demo-admin', role: 'admin', keySha256: sha256Hex(benchAdminKey()) }],
    rules: [],
  };
}
