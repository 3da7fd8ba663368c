/** Topic builders and parsers for the wl/v1 tree. */
import { describe, expect, it } from 'vitest';
import { parseTopic, topics } from '../../core/topics.js';

describe('topics', () => {
  it('builds and parses each topic of the contract', () => {
    expect(topics.telemetry('d-0001')).toBe('wl/v1/d-0001/telemetry');
    expect(parseTopic('wl/v1/d-0001/telemetry')).toEqual({ kind: 'telemetry', deviceId: 'd-0001' });
    expect(parseTopic(topics.errors('d-9'))).toEqual({ kind: 'errors', deviceId: 'd-9' });
    expect(parseTopic(topics.status('d-9'))).toEqual({ kind: 'status', deviceId: 'd-9' });
    expect(parseTopic(topics.alerts('xiji'))).toEqual({ kind: 'alerts', countyId: 'xiji' });
  });

  it('returns null for anything outside the tree', () => {
    for (const t of [
      'wl/v2/d/telemetry',
      'wl/v1/D-1/telemetry',
      'wl/v1/d/telemetry/x',
      'wl/v1/d/other',
      '$SYS/x',
      'wl/v1/alerts/X',
    ]) {
      expect(parseTopic(t)).toBeNull();
    }
  });
});
