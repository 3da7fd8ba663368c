/** Quality samples are judged against the limits whether or not their rule raises alerts (CONTRACT §6). */
import { describe, expect, it } from 'vitest';
import { parseRegistry } from '../../core/registry.js';
import { judgeQuality, qualityLimits } from '../../core/rules/quality.js';
import { smallRegistry } from '../helpers/small-registry.js';

const device = () => {
  const r = parseRegistry(smallRegistry());
  if (!r.ok) throw new Error('bad registry');
  return r.value.devices.get('d-0001')!;
};

describe('quality limits', () => {
  it('still counts and judges the samples of a disabled rule, so silencing alerts cannot raise 水质达标率', () => {
    const disabled = qualityLimits(device(), [{ rule: 'turbidity-max', enabled: false }]);
    expect(disabled.map((l) => l.metric).sort()).toEqual(['chlorine', 'ph', 'turbidity']);
    expect(judgeQuality(disabled, { turbidity: 1.6, chlorine: 0.5, ph: 7 })).toEqual({
      samples: 3,
      compliant: 2,
    });
  });

  it('keeps overridden limits in force for a disabled rule', () => {
    const limits = qualityLimits(device(), [{ rule: 'ph-range', enabled: false, min: 7, max: 8 }]);
    expect(limits.find((l) => l.metric === 'ph')).toEqual({ metric: 'ph', min: 7, max: 8 });
  });

  it('judges nothing at a source', () => {
    const r = parseRegistry(smallRegistry());
    if (!r.ok) throw new Error('bad registry');
    const d = { ...r.value.devices.get('d-0001')!, siteKind: 'source' as const };
    expect(qualityLimits(d, [])).toEqual([]);
  });
});
