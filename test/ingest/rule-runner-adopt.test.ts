/** A device that moves between nodes: its alert state comes from the store's active alerts, not from what a node remembered. */
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../core/alert.js';
import { createRuleRunner } from '../../ingest/rule-runner.js';
import { registryWith, T0 } from '../helpers/rule-run.js';

const registry = registryWith();
const judge = (runner: ReturnType<typeof createRuleRunner>, ts: number, chlorine: number) =>
  runner.judge(runner.setup('d-0002')!, { ts, values: { chlorine } }, ts).events;

describe('rule runner: adopting a device from the store', () => {
  it('raises anew on this node after another node cleared the alert it remembered', () => {
    const a = createRuleRunner(() => registry);
    a.restore([], T0);
    expect(judge(a, T0 + 1_000, 0)).toEqual([]);
    const raised = judge(a, T0 + 2_000, 0);
    expect(raised.map((e) => e.type)).toEqual(['raised']);
    // The device moved away, its alert was cleared there, and it comes back breaching again.
    a.adopt('d-0002', [], T0 + 60_000);
    expect(judge(a, T0 + 61_000, 0)).toEqual([]);
    expect(judge(a, T0 + 62_000, 0).map((e) => e.type)).toEqual(['raised']);
  });

  it('does not raise again what another node raised and the store holds as active, and clears it', () => {
    const origin = createRuleRunner(() => registry);
    origin.restore([], T0);
    judge(origin, T0 + 1_000, 0);
    const alert: Alert = judge(origin, T0 + 2_000, 0)[0]!.alert;
    const b = createRuleRunner(() => registry);
    b.restore([], T0);
    b.adopt('d-0002', [alert], T0 + 3_000);
    expect(judge(b, T0 + 4_000, 0)).toEqual([]);
    expect(judge(b, T0 + 5_000, 0)).toEqual([]);
    judge(b, T0 + 6_000, 0.3);
    const cleared = judge(b, T0 + 7_000, 0.3);
    expect(cleared.map((e) => [e.type, e.alert.id])).toEqual([['cleared', alert.id]]);
  });
});
