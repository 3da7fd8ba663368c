/** offline in a node: the broker's own view of a device's connection, not only its silence, raises it. */
import { afterEach, describe, expect, it } from 'vitest';
import { eventsOf, type Harness, publish, startHarness } from '../helpers/ingest.js';
import { waitFor } from '../helpers/wait-for.js';

describe('offline in a node', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it('raises offline for a device whose connection closed once 1.5 intervals passed, before stale, and clears it on its return', async () => {
    let skew = 0;
    h = await startHarness({ mode: 'node', ingest: { clock: () => Date.now() + skew, staleEveryMs: 100 } });
    const { events } = await h.watch();
    const gone = await h.device('d-0001');
    const stays = await h.device('d-0003');
    const t = Date.now();
    await publish(gone, 'd-0001', { ts: t, values: { chlorine: 0.8 } });
    await publish(stays, 'd-0003', { ts: t, values: { chlorine: 0.5 } });
    gone.end(true);
    await new Promise((r) => setTimeout(r, 300));
    // d-0001 reports every 60 s: offline after 90 s without its connection; d-0003 (300 s) is connected.
    skew = 95_000;
    const raised = await waitFor(async () => eventsOf(events, 'offline', 'd-0001')[0], 'offline raised');
    expect(raised.alert).toMatchObject({ kind: 'stale', severity: 'warning', active: true, limit: 90 });
    expect(eventsOf(events, 'stale', 'd-0001')).toEqual([]);
    expect(eventsOf(events, 'offline', 'd-0003')).toEqual([]);

    const back = await h.device('d-0001');
    await publish(back, 'd-0001', { ts: Date.now() + skew, values: { chlorine: 0.8 } });
    const cleared = await waitFor(async () => eventsOf(events, 'offline', 'd-0001')[1], 'offline cleared');
    expect(cleared).toMatchObject({ type: 'cleared', alert: { id: raised.alert.id } });
  });
});
