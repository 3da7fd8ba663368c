/** A registry of N benchmark devices with known tokens, valid under the contract's schema. */

import { createHash } from 'node:crypto';
import type { RegistryFile } from '../core/registry-schema.js';
import { NINGXIA_2027_TARGETS } from '../devices-sim/ningxia.js';

export const benchDeviceId = (i: number) => `d-${String(i).padStart(5, '0')}`;
export const benchToken = (deviceId: string) => `bench-token-${deviceId}`;
export const BENCH_INGEST_PASSWORD = 'bench-ingest-password';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export function benchRegistry(devices: number): RegistryFile {
  return {
    version: 1,
    region: { id: 'nx', name: 'Ningxia' },
    targets: { ...NINGXIA_2027_TARGETS },
    prefectures: [{ id: 'guyuan', name: 'Guyuan' }],
    counties: [{ id: 'xiji', name: 'Xiji', prefecture: 'guyuan' }],
    schemes: [
      { id: 'xiji-s1', name: 'Xiji works', county: 'xiji', capacityM3PerDay: 20000, integrated: true },
    ],
    sites: [{ id: 'xiji-s1-p1', scheme: 'xiji-s1', kind: 'pipe' }],
    devices: Array.from({ length: devices }, (_, i) => {
      const id = benchDeviceId(i);
      return {
        id,
        site: 'xiji-s1-p1',
        metrics: ['ph', 'chlorine', 'turbidity'],
        intervalS: 60,
        tokenSha256: sha256(benchToken(id)),
      };
    }),
    villages: [{ id: 'v-0001', county: 'xiji', population: 1200, scheme: 'xiji-s1', tap: true }],
    apiKeys: [],
    rules: [],
  };
}
