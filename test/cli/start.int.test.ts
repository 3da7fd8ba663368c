/** `npm start` refuses bad configuration before anything starts, listing every problem. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { smallRegistry } from '../helpers/small-registry.js';

const start = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'start.ts', ...args], {
    encoding: 'utf8',
    timeout: 30_000,
    env: { ...process.env, REGISTRY: '' },
  });

describe('npm start with bad configuration', () => {
  it('exits non-zero naming each registry problem with its JSON path', () => {
    const file = smallRegistry();
    file.devices[0]!.site = 'nowhere';
    (file.villages[1] as Record<string, unknown>).population = 'many';
    const path = join(mkdtempSync(join(tmpdir(), 'wl-cli-')), 'broken.json');
    writeFileSync(path, JSON.stringify(file));
    const r = start('--registry', path, '--no-sim', '--mqtt-port', '0', '--http-port', '0');
    expect(r.status).toBe(2);
    // Schema and reference errors in the same run: the invalid village hides nothing.
    expect(r.stderr).toContain('villages[1].population');
    expect(r.stderr).toContain('devices[0].site: unknown site "nowhere"');
  });

  it('exits non-zero on an unknown flag and on an unreadable registry, listing both', () => {
    const r = start('--frobnicate', '--registry', '/nonexistent/registry.json');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('unknown flag "--frobnicate"');
    expect(r.stderr).toContain('cannot read registry /nonexistent/registry.json');
  });
});
