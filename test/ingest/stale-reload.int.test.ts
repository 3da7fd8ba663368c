/** Stale on an injected clock, and a registry reload that adds a device and changes a rule without losing alert state. */
import { afterEach, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../devices-sim/demo-secret.js';
import { eventsOf, type Harness, publish, startHarness } from '../helpers/ingest.js';
import { smallRegistry, token } from '../helpers/small-registry.js';
import { waitFor } from '../helpers/wait-for.js';

describe('stale and reload in ingest', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it('raises stale for a device silent since ingest started, once, and clears it on its next Reading', async () => {
    let skew = 0;
    h = await startHarness({ ingest: { clock: () => Date.now() + skew, staleEveryMs: 100 } });
    const { events } = await h.watch();
    // d-0002 reports every 30 s: stale 90 s after ingest started; d-0001 (60 s) and d-0003 (300 s) not yet.
    skew = 91_000;
    const raised = await waitFor(async () => eventsOf(events, 'stale', 'd-0002')[0], 'stale raised');
    expect(raised.alert).toMatchObject({ kind: 'stale', severity: 'warning', active: true, limit: 90 });
    await new Promise((r) => setTimeout(r, 500));
    expect(eventsOf(events, 'stale', 'd-0002')).toHaveLength(1);
    expect(events.filter((e) => e.alert.ruleId === 'stale').map((e) => e.alert.deviceId)).toEqual(['d-0002']);

    const dev = await h.device('d-0002');
    await publish(dev, 'd-0002', { ts: Date.now(), values: { pressure: 0.3 } });
    const cleared = await waitFor(async () => eventsOf(events, 'stale', 'd-0002')[1], 'stale cleared');
    expect(cleared).toMatchObject({ type: 'cleared', alert: { id: raised.alert.id, active: false } });
  });

  it('applies a reloaded registry: a new device is judged, a changed rule applies, active alerts stay', async () => {
    h = await startHarness();
    const { events } = await h.watch();
    const d1 = await h.device('d-0001');
    const t = Date.now() - 60_000;
    await publish(d1, 'd-0001', { ts: t, values: { ph: 9 } }, { ts: t + 1, values: { ph: 9.1 } });
    await waitFor(async () => eventsOf(events, 'ph-range', 'd-0001')[0], 'ph raised');

    const file = smallRegistry();
    file.devices.push({
      id: 'd-0004',
      site: 'xiji-s1-p1',
      metrics: ['chlorine'],
      intervalS: 60,
      tokenSha256: sha256Hex(token('d-0004')),
    });
    file.rules = [{ rule: 'chlorine-network', device: 'd-0002', min: 0.2 }];
    h.setRegistry(file);

    // The persisting pH breach raises nothing new after the reload; it clears as usual.
    await publish(d1, 'd-0001', { ts: t + 2, values: { ph: 9.2 } }, { ts: t + 3, values: { ph: 9.3 } });
    const d4 = await h.device('d-0004');
    await publish(
      d4,
      'd-0004',
      { ts: t, values: { chlorine: 0.01 } },
      { ts: t + 1, values: { chlorine: 0.02 } },
    );
    await waitFor(async () => eventsOf(events, 'chlorine-network', 'd-0004')[0], 'the new device judged');
    const d2 = await h.device('d-0002');
    await publish(
      d2,
      'd-0002',
      { ts: t, values: { chlorine: 0.15 } },
      { ts: t + 1, values: { chlorine: 0.16 } },
    );
    const changed = await waitFor(
      async () => eventsOf(events, 'chlorine-network', 'd-0002')[0],
      'the changed rule',
    );
    expect(changed.alert).toMatchObject({ limit: 0.2, value: 0.16 });
    await publish(d1, 'd-0001', { ts: t + 4, values: { ph: 7 } }, { ts: t + 5, values: { ph: 7.1 } });
    await waitFor(async () => eventsOf(events, 'ph-range', 'd-0001')[1], 'ph cleared');
    expect(eventsOf(events, 'ph-range', 'd-0001').map((e) => e.type)).toEqual(['raised', 'cleared']);
  });
});
