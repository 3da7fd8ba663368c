/** A small registry with a full supply chain (source → plant → tank → mains → taps) for simulator tests. */
import { parseRegistry, type Registry } from '../../core/registry.js';
import type { RegistryFile } from '../../core/registry-schema.js';
import { demoDeviceToken, sha256Hex } from '../../devices-sim/demo-secret.js';
import { smallRegistry } from '../helpers/small-registry.js';

/**
 * Scheme `hill-s1`: plant → res1 → p1 → p2 → t1, with a side branch p1 → p3 → t2, monitored at the
 * plant, the tank, p1, p2, p3 and both taps.
 */
export function simRegistryFile(): RegistryFile {
  const file = smallRegistry();
  const device = (id: string, site: string, metrics: string[], intervalS: number) => ({
    id,
    site,
    metrics,
    intervalS,
    tokenSha256: sha256Hex(demoDeviceToken(id)),
  });
  file.schemes.push({
    id: 'hill-s1',
    name: 'Hill works',
    county: 'xiji',
    capacityM3PerDay: 3000,
    integrated: true,
  });
  const site = (id: string, kind: 'source' | 'plant' | 'reservoir' | 'pipe' | 'tap', upstream?: string) => ({
    id,
    scheme: 'hill-s1',
    kind,
    ...(upstream ? { upstream } : {}),
  });
  file.sites.push(
    site('hill-s1-src', 'source'),
    site('hill-s1-plant', 'plant', 'hill-s1-src'),
    site('hill-s1-res1', 'reservoir', 'hill-s1-plant'),
    site('hill-s1-p1', 'pipe', 'hill-s1-res1'),
    site('hill-s1-p2', 'pipe', 'hill-s1-p1'),
    site('hill-s1-t1', 'tap', 'hill-s1-p2'),
    site('hill-s1-p3', 'pipe', 'hill-s1-p1'),
    site('hill-s1-t2', 'tap', 'hill-s1-p3'),
  );
  file.devices.push(
    device('d-0101', 'hill-s1-plant', ['turbidity', 'chlorine', 'ph', 'flow'], 60),
    device('d-0102', 'hill-s1-res1', ['level', 'chlorine'], 120),
    device('d-0103', 'hill-s1-p1', ['pressure', 'flow', 'chlorine'], 30),
    device('d-0104', 'hill-s1-p2', ['pressure', 'flow', 'chlorine'], 30),
    device('d-0105', 'hill-s1-t1', ['chlorine', 'turbidity', 'ph', 'pressure'], 300),
    device('d-0106', 'hill-s1-p3', ['pressure', 'flow', 'chlorine'], 60),
    device('d-0107', 'hill-s1-t2', ['chlorine', 'turbidity', 'ph', 'pressure'], 300),
  );
  file.villages.push(
    { id: 'v-0101', county: 'xiji', population: 9000, scheme: 'hill-s1', tap: true },
    { id: 'v-0102', county: 'xiji', population: 6000, scheme: 'hill-s1', tap: true },
  );
  return file;
}

export function simRegistry(): Registry {
  const parsed = parseRegistry(simRegistryFile());
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.value;
}
