/** The per-device token bucket, driven by an injected clock. */
import { describe, expect, it } from 'vitest';
import { createRateLimiter } from '../../broker/rate-limit.js';

describe('createRateLimiter', () => {
  it('lets a burst through at once, then spaces messages at the rate', () => {
    let now = 1_000;
    const rate = createRateLimiter({ perSecond: 10, burst: 3, clock: () => now });
    expect([1, 2, 3].map(() => rate.reserve('d-0001'))).toEqual([0, 0, 0]);
    expect(rate.reserve('d-0001')).toBe(100);
    expect(rate.reserve('d-0001')).toBe(200);
    now += 1_000; // the bucket refills while the device is quiet
    expect([1, 2, 3].map(() => rate.reserve('d-0001'))).toEqual([0, 0, 0]);
  });

  it('keeps one bucket per device, so one flooding device does not slow another', () => {
    const rate = createRateLimiter({ perSecond: 1, burst: 1, clock: () => 0 });
    rate.reserve('d-0001');
    expect(rate.reserve('d-0001')).toBe(1000);
    expect(rate.reserve('d-0002')).toBe(0);
  });

  it('never waits when the rate is 0 (unlimited)', () => {
    const rate = createRateLimiter({ perSecond: 0, burst: 0, clock: () => 0 });
    expect(Array.from({ length: 1000 }, () => rate.reserve('d-0001')).every((w) => w === 0)).toBe(true);
  });

  it('forgets a device only once its bucket has refilled, so reconnecting does not reset a flood', () => {
    let now = 0;
    const rate = createRateLimiter({ perSecond: 1, burst: 1, clock: () => now });
    rate.reserve('d-0001');
    rate.reserve('d-0001');
    rate.release('d-0001');
    expect(rate.reserve('d-0001')).toBe(2000);
    now = 10_000;
    rate.release('d-0001');
    expect(rate.reserve('d-0001')).toBe(0);
  });
});
