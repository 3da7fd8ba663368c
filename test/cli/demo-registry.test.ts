/** Every entry point keys the bundled demo registry with its data folder's secret, and leaves other registries alone. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { keyDemoRegistry } from '../../bin/demo-registry.js';
import { DEMO_REGISTRY_PATH, loadRegistry } from '../../bin/load-registry.js';
import {
  DEFAULT_DEMO_SECRET,
  demoApiKey,
  demoDeviceToken,
  sha256Hex,
} from '../../devices-sim/demo-secret.js';

const demo = loadRegistry(null);
if (!demo.ok) throw new Error('demo registry invalid');

describe('keying the demo registry', () => {
  it('derives keys and tokens from the folder secret: the same in one folder, different in another', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wl-key-'));
    const a = keyDemoRegistry(demo.value, null, dir, {});
    const again = keyDemoRegistry(demo.value, DEMO_REGISTRY_PATH, dir, {});
    const other = keyDemoRegistry(demo.value, null, mkdtempSync(join(tmpdir(), 'wl-key-')), {});
    const adminHash = (r: typeof a) => r.registry.file.apiKeys.find((k) => k.id === 'demo-admin')!.keySha256;
    expect(adminHash(a)).toBe(adminHash(again));
    expect(adminHash(a)).not.toBe(adminHash(other));
    expect(adminHash(a)).not.toBe(sha256Hex(demoApiKey('demo-admin', DEFAULT_DEMO_SECRET)));
    expect(adminHash(a)).toBe(sha256Hex(demoApiKey('demo-admin', a.demo!.secret)));
    const d = a.registry.devices.get('d-0002')!;
    expect(d.tokenSha256).toBe(sha256Hex(demoDeviceToken('d-0002', a.demo!.secret)));
  });

  it('uses DEMO_SECRET when set, and leaves a registry of real keys as it is', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wl-key-'));
    const fixed = keyDemoRegistry(demo.value, null, dir, { DEMO_SECRET: 'a-private-demo-secret' });
    expect(fixed.demo).toMatchObject({ secret: 'a-private-demo-secret', path: null });
    const real = keyDemoRegistry(demo.value, join(dir, 'my-registry.json'), dir, {});
    expect(real.demo).toBeNull();
    expect(real.registry).toBe(demo.value);
  });
});
