/** A small hand-built registry for tests: two counties, a scale and a small scheme, devices with known tokens. */

import type { RegistryFile } from '../../core/registry-schema.js';
import { demoApiKey, demoDeviceToken, sha256Hex } from '../../devices-sim/demo-secret.js';
import { NINGXIA_2027_TARGETS } from '../../devices-sim/ningxia.js';

export const token = (deviceId: string) => demoDeviceToken(deviceId);
export const apiKey = (keyId: string) => demoApiKey(keyId);

export function smallRegistry(): RegistryFile {
  const device = (id: string, site: string, metrics: string[], intervalS = 60) => ({
    id,
    site,
    metrics,
    intervalS,
    tokenSha256: sha256Hex(token(id)),
  });
  const key = (id: string, role: 'viewer' | 'operator' | 'admin', counties?: string[]) => ({
    id,
    role,
    keySha256: sha256Hex(apiKey(id)),
    ...(counties ? { counties } : {}),
  });
  return {
    version: 1,
    region: { id: 'nx', name: 'Ningxia' },
    targets: { ...NINGXIA_2027_TARGETS },
    prefectures: [{ id: 'guyuan', name: 'Guyuan' }],
    counties: [
      { id: 'xiji', name: 'Xiji', prefecture: 'guyuan' },
      { id: 'longde', name: 'Longde', prefecture: 'guyuan' },
    ],
    schemes: [
      {
        id: 'xiji-s1',
        name: 'Xiji integrated works',
        county: 'xiji',
        capacityM3PerDay: 20000,
        integrated: true,
      },
      {
        id: 'longde-w1',
        name: 'Longde hill well',
        county: 'longde',
        capacityM3PerDay: 200,
        integrated: false,
      },
    ],
    sites: [
      { id: 'xiji-s1-src', scheme: 'xiji-s1', kind: 'source' },
      { id: 'xiji-s1-plant', scheme: 'xiji-s1', kind: 'plant', upstream: 'xiji-s1-src' },
      { id: 'xiji-s1-p1', scheme: 'xiji-s1', kind: 'pipe', upstream: 'xiji-s1-plant' },
      { id: 'longde-w1-plant', scheme: 'longde-w1', kind: 'plant' },
    ],
    devices: [
      device('d-0001', 'xiji-s1-plant', ['turbidity', 'chlorine', 'ph', 'flow']),
      device('d-0002', 'xiji-s1-p1', ['pressure', 'chlorine'], 30),
      device('d-0003', 'longde-w1-plant', ['chlorine', 'turbidity'], 300),
    ],
    villages: [
      { id: 'v-0001', county: 'xiji', population: 1200, scheme: 'xiji-s1', tap: true },
      { id: 'v-0002', county: 'longde', population: 400, scheme: 'longde-w1', tap: true },
      { id: 'v-0003', county: 'longde', population: 300, scheme: null, tap: false },
    ],
    apiKeys: [key('demo-admin', 'admin'), key('planner', 'viewer'), key('ops-xiji', 'operator', ['xiji'])],
    rules: [],
  };
}
