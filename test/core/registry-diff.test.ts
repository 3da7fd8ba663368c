/** Which identities a registry reload takes away, for closing their open connections. */
import { describe, expect, it } from 'vitest';
import { parseRegistry, type Registry } from '../../core/registry.js';
import { revokedIdentities } from '../../core/registry-diff.js';
import type { RegistryFile } from '../../core/registry-schema.js';
import { sha256Hex } from '../../devices-sim/demo-secret.js';
import { smallRegistry } from '../helpers/small-registry.js';

const parse = (file: RegistryFile): Registry => {
  const r = parseRegistry(file);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value;
};

describe('revokedIdentities', () => {
  it('lists nothing when the registry is unchanged or only grows', () => {
    const old = parse(smallRegistry());
    const grown = smallRegistry();
    grown.devices.push({ ...grown.devices[0]!, id: 'd-new', tokenSha256: sha256Hex('new') });
    expect(revokedIdentities(old, parse(smallRegistry()))).toEqual({ devices: [], apiKeys: [] });
    expect(revokedIdentities(old, parse(grown))).toEqual({ devices: [], apiKeys: [] });
  });

  it('lists removed devices and devices whose token changed, but not one only moved or re-described', () => {
    const old = parse(smallRegistry());
    const next = smallRegistry();
    next.devices = next.devices.filter((d) => d.id !== 'd-0002');
    next.devices[1]!.tokenSha256 = sha256Hex('rotated');
    next.devices[0]!.intervalS = 120;
    const r = revokedIdentities(old, parse(next));
    expect(r.devices).toEqual(['d-0002', next.devices[1]!.id]);
    expect(r.devices).not.toContain('d-0001');
  });

  it('lists API keys removed, rotated, or whose role or counties changed', () => {
    const oldFile = smallRegistry();
    oldFile.apiKeys.push({ id: 'gone', role: 'viewer', keySha256: sha256Hex('gone') });
    oldFile.apiKeys.push({ id: 'kept', role: 'viewer', keySha256: sha256Hex('kept') });
    const old = parse(oldFile);
    const next = smallRegistry();
    next.apiKeys.push({ id: 'kept', role: 'viewer', keySha256: sha256Hex('kept') });
    next.apiKeys[0]!.keySha256 = sha256Hex('rotated');
    next.apiKeys[1]!.role = 'operator';
    next.apiKeys[2]!.counties = ['longde'];
    expect(revokedIdentities(old, parse(next)).apiKeys).toEqual([
      'demo-admin',
      'gone',
      'ops-xiji',
      'planner',
    ]);
  });
});
