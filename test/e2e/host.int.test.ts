/** `--host` with an address other than 127.0.0.1: the platform's own connections follow it. */
import { afterAll, describe, expect, it } from 'vitest';
import { connectHost } from '../../bin/platform.js';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { apiKey, smallRegistry } from '../helpers/small-registry.js';
import { waitFor } from '../helpers/wait-for.js';

describe('the platform on another address', () => {
  let p: TestPlatform | undefined;
  afterAll(async () => {
    await p?.stop();
  });

  it('runs its simulator against the address it listens on (127.0.0.2, still loopback)', async () => {
    p = await startTestPlatform(smallRegistry(), { sim: true, host: '127.0.0.2' });
    const online = await waitFor(async () => {
      const res = await fetch(`${p!.httpUrl}/api/v1/devices`, {
        headers: { authorization: `Bearer ${apiKey('demo-admin')}` },
      });
      const { items } = (await res.json()) as { items: { online: boolean; lastSeen: string | null }[] };
      return items.every((d) => d.online && d.lastSeen !== null) && items.length;
    }, 'every simulated device online with a reading through 127.0.0.2');
    expect(online).toBe(3);
  });

  it('reaches a wildcard listener on loopback and any other address as it is', () => {
    expect(connectHost('0.0.0.0')).toBe('127.0.0.1');
    expect(connectHost('::')).toBe('[::1]');
    expect(connectHost('127.0.0.2')).toBe('127.0.0.2');
    expect(connectHost('fd00::2')).toBe('[fd00::2]');
  });
});
