/** Alerts through the running ingest: raised once, published on the county topic, cleared, and kept across a restart. */
import { afterEach, describe, expect, it } from 'vitest';
import type { AlertEvent } from '../../core/alert.js';
import { eventsOf, type Harness, publish, startHarness } from '../helpers/ingest.js';
import { waitFor } from '../helpers/wait-for.js';

describe.each(['node', 'subscriber'] as const)('alert lifecycle in ingest (%s)', (mode) => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  const now = () => Date.now();

  it('raises on the 2nd breaching Reading, stores then publishes it on the county topic, and clears it', async () => {
    h = await startHarness({ mode });
    const { events } = await h.watch();
    const dev = await h.device('d-0002');
    const t = now() - 60_000;
    await publish(dev, 'd-0002', { ts: t, values: { chlorine: 0.02 } });
    await publish(dev, 'd-0002', { ts: t + 1000, values: { chlorine: 0.01 } });
    const raised = await waitFor(async () => eventsOf(events, 'chlorine-network')[0], 'the raised event');
    expect(raised).toMatchObject({
      type: 'raised',
      at: new Date(t + 1000).toISOString(),
      alert: {
        id: `chlorine-network.d-0002.${t + 1000}`,
        countyId: 'xiji',
        active: true,
        message: 'free chlorine 0.01 mg/L below 0.05 mg/L at pipe xiji-s1-p1',
      },
    });
    expect((await h.store.getAlert(raised.alert.id))?.alert.active).toBe(true);

    // A persisting breach raises nothing more; two Readings back inside by the deadband clear it.
    await publish(
      dev,
      'd-0002',
      ...[2, 3, 4].map((i) => ({ ts: t + i * 1000, values: { chlorine: 0.01 + i / 1000 } })),
    );
    await publish(
      dev,
      'd-0002',
      { ts: t + 5000, values: { chlorine: 0.3 } },
      { ts: t + 6000, values: { chlorine: 0.31 } },
    );
    const cleared = await waitFor(async () => eventsOf(events, 'chlorine-network')[1], 'the cleared event');
    expect(cleared).toMatchObject({ type: 'cleared', alert: { id: raised.alert.id, active: false } });
    expect(eventsOf(events, 'chlorine-network')).toHaveLength(2);
    const stored = await h.store.getAlert(raised.alert.id);
    expect(stored?.alert.active).toBe(false);
    expect(stored?.events.map((e) => e.type)).toEqual(['raised', 'cleared']);
    expect(await h.ingest.metrics()).toMatch(
      /waterline_ingest_alerts_raised_total\{rule="chlorine-network"\} 1/,
    );
  });

  it('publishes a clear with the acknowledgement made meanwhile', async () => {
    h = await startHarness({ mode });
    const { events } = await h.watch();
    const dev = await h.device('d-0002');
    const t = now() - 60_000;
    await publish(
      dev,
      'd-0002',
      { ts: t, values: { chlorine: 0 } },
      { ts: t + 1000, values: { chlorine: 0.001 } },
    );
    const raised = await waitFor(async () => eventsOf(events, 'chlorine-network')[0], 'the raised event');
    const ackAt = new Date().toISOString();
    const acked = { ...raised.alert, acknowledged: true, acknowledgedAt: ackAt, acknowledgedBy: 'ops-xiji' };
    // As the API does: stored, then published on the county topic.
    const ack: AlertEvent = { type: 'acknowledged', at: ackAt, alert: acked };
    await h.store.appendAlertEvents([ack]);
    const api = await h.service('api');
    await api.publishAsync('wl/v1/alerts/xiji', JSON.stringify(ack), { qos: 1 });
    await waitFor(async () => events.some((e) => e.type === 'acknowledged'), 'the acknowledgement published');
    await publish(
      dev,
      'd-0002',
      { ts: t + 2000, values: { chlorine: 0.2 } },
      { ts: t + 3000, values: { chlorine: 0.21 } },
    );
    const cleared = await waitFor(
      async () => eventsOf(events, 'chlorine-network').find((e) => e.type === 'cleared'),
      'the cleared event',
    );
    expect(cleared.alert).toMatchObject({ active: false, acknowledged: true, acknowledgedBy: 'ops-xiji' });
  });

  it('does not raise an active alert again after ingest restarts, and still clears it', async () => {
    h = await startHarness({ mode });
    const { events } = await h.watch();
    const dev = await h.device('d-0001');
    const t = now() - 120_000;
    await publish(
      dev,
      'd-0001',
      { ts: t, values: { turbidity: 2 } },
      { ts: t + 1000, values: { turbidity: 2.5 } },
    );
    await waitFor(async () => eventsOf(events, 'turbidity-max')[0], 'the raised event');
    await h.restartIngest();
    await publish(
      dev,
      'd-0001',
      ...[2, 3, 4, 5].map((i) => ({ ts: t + i * 1000, values: { turbidity: 2 + i / 10 } })),
    );
    await publish(
      dev,
      'd-0001',
      { ts: t + 6000, values: { turbidity: 0.5 } },
      { ts: t + 7000, values: { turbidity: 0.4 } },
    );
    await waitFor(async () => eventsOf(events, 'turbidity-max')[1], 'the cleared event');
    expect(eventsOf(events, 'turbidity-max').map((e) => e.type)).toEqual(['raised', 'cleared']);
    const page = await h.store.listAlerts({ deviceId: 'd-0001', limit: 10 });
    expect(page.items.filter((a) => a.ruleId === 'turbidity-max')).toHaveLength(1);
  });

  it('stores backfill without raising, and keeps duplicates from counting twice', async () => {
    h = await startHarness({ mode });
    const { events } = await h.watch();
    const dev = await h.device('d-0002');
    const t = now() - 3_600_000;
    await publish(dev, 'd-0002', { ts: t + 1_800_000, values: { chlorine: 0.4 } });
    // Two breaching Readings 30 minutes older than the newest: backfill.
    await publish(dev, 'd-0002', [
      { ts: t, values: { chlorine: 0 } },
      { ts: t + 1000, values: { chlorine: 0 } },
    ]);
    // The same breaching Reading twice is one Reading.
    await publish(dev, 'd-0002', { ts: t + 1_801_000, values: { chlorine: 0.01 } });
    await publish(dev, 'd-0002', { ts: t + 1_801_000, values: { chlorine: 0.01 } });
    await waitFor(async () => /duplicate_total 1/.test(await h!.ingest.metrics()), 'the duplicate counted');
    expect(await h.ingest.metrics()).toMatch(/waterline_ingest_readings_backfill_total 2/);
    const points = await h.store.queryReadings({
      deviceId: 'd-0002',
      metric: 'chlorine',
      from: 0,
      to: now(),
    });
    expect(points).toHaveLength(4);
    expect(eventsOf(events, 'chlorine-network')).toEqual([]);
  });
});
