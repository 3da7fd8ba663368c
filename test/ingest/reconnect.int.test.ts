/** A dropped connection to the broker mid-stream: unacknowledged messages come again and are stored and judged once. */
import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { internals } from '../../broker/aedes-internals.js';
import type { Reading } from '../../core/reading.js';
import { type Harness, startHarness } from '../helpers/ingest.js';
import { startLoad } from '../helpers/load.js';
import { waitFor } from '../helpers/wait-for.js';

const BASE = Date.now() - 86_400_000;
/** d-0002's chlorine stays below the limit: one alert, whatever is redelivered. */
const reading = (id: string, i: number): Reading =>
  id === 'd-0002'
    ? { ts: BASE + i * 10, values: { chlorine: 0.01 + (i % 3) / 100 } }
    : { ts: BASE + i * 10, values: { ph: 7 + (i % 10) / 100 } };

describe('ingest reconnecting to the broker', { timeout: 60_000 }, () => {
  let h: Harness;
  const devices = new Map<string, MqttClient>();
  beforeAll(async () => {
    h = await startHarness();
    for (const id of ['d-0001', 'd-0002']) devices.set(id, await h.device(id));
  });
  afterAll(async () => {
    await h.stop();
  });

  it('stores every acknowledged Reading once the broker redelivers what ingest had not acknowledged', async () => {
    const load = startLoad(devices, { rate: 1000, reading });
    await waitFor(async () => load.count() > 1000, 'a stream under way');
    // Cut ingest's connection at the broker, as a network fault would; mqtt.js reconnects within 1 s.
    const ingestClient = internals(h.broker.aedes).clients['svc:ingest'];
    expect(ingestClient).toBeDefined();
    ingestClient!.conn.destroy();
    await waitFor(async () => /waterline_ingest_connected 0/.test(await h.ingest.metrics()), 'the cut seen');
    await waitFor(async () => load.count() > 3000, 'more Readings after the cut');
    await load.stop();
    for (const [id, metric] of [
      ['d-0001', 'ph'],
      ['d-0002', 'chlorine'],
    ] as const) {
      const want = [...load.acked.get(id)!].sort((a, b) => a - b);
      const got = await waitFor(async () => {
        const p = await h.store.queryReadings({ deviceId: id, metric, from: 0, to: Date.now() });
        return p.length >= want.length && p.map((x) => x.ts);
      }, `${id} stored`);
      expect(got).toEqual(want);
    }
    const alerts = (await h.store.listAlerts({ deviceId: 'd-0002', limit: 10 })).items;
    expect(alerts.filter((a) => a.ruleId === 'chlorine-network')).toHaveLength(1);
  });
});
