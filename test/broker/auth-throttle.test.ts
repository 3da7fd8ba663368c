/** Slowing down repeated failed logins per address, driven by an injected clock. */
import { describe, expect, it } from 'vitest';
import { createAuthThrottle } from '../../broker/auth-throttle.js';

describe('createAuthThrottle', () => {
  it('refuses the first failures at once, then doubles the delay up to a ceiling', () => {
    const t = createAuthThrottle({ clock: () => 0, freeFailures: 2, baseDelayMs: 100, maxDelayMs: 350 });
    const delays = Array.from({ length: 6 }, () => {
      const d = t.failed('10.0.0.1');
      if (d.action === 'refuse' && d.delayMs > 0) t.settled('10.0.0.1');
      return d.action === 'refuse' ? d.delayMs : -1;
    });
    expect(delays).toEqual([0, 0, 100, 200, 350, 350]);
  });

  it('keeps addresses apart', () => {
    const t = createAuthThrottle({ clock: () => 0, freeFailures: 1, baseDelayMs: 100 });
    t.failed('10.0.0.1');
    expect(t.failed('10.0.0.1')).toEqual({ action: 'refuse', delayMs: 100 });
    expect(t.failed('10.0.0.2')).toEqual({ action: 'refuse', delayMs: 0 });
  });

  it('drops connections without an answer once too many refusals are held back', () => {
    const t = createAuthThrottle({ clock: () => 0, freeFailures: 0, maxPending: 2 });
    expect(t.failed('a').action).toBe('refuse');
    expect(t.failed('a').action).toBe('refuse');
    expect(t.failed('a')).toEqual({ action: 'drop' });
    t.settled('a');
    expect(t.failed('a').action).toBe('refuse');
  });

  it('forgets failures after a quiet period', () => {
    let now = 0;
    const t = createAuthThrottle({
      clock: () => now,
      freeFailures: 1,
      baseDelayMs: 100,
      forgetAfterMs: 1000,
    });
    t.failed('a');
    const held = t.failed('a');
    expect(held).toEqual({ action: 'refuse', delayMs: 100 });
    t.settled('a');
    now = 5_000;
    expect(t.failed('a')).toEqual({ action: 'refuse', delayMs: 0 });
  });
});
