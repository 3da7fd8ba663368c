/**
 * End to end: the simulator bursts a main, a real broker and ingest judge its devices, and the burst is
 * one incident with its downstream alerts inside it, rooted where it happened (API over the same store).
 */
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/create-app.js';
import type { Incident } from '../../core/incidents/summary.js';
import { createSim } from '../../devices-sim/create-sim.js';
import { demoDeviceToken } from '../../devices-sim/demo-secret.js';
import { resolveScenario } from '../../devices-sim/scenario-resolve.js';
import { type Harness, startHarness } from '../helpers/ingest.js';
import { apiKey } from '../helpers/small-registry.js';
import { waitFor } from '../helpers/wait-for.js';
import { simRegistry, simRegistryFile } from '../sim/sim-registry.js';

describe('a simulated burst', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ file: simRegistryFile(), ingest: { staleClock: 'readings' } });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('is one incident, rooted at the burst, holding the alerts of the sites downstream', async () => {
    const reg = simRegistry();
    const ids = ['d-0101', 'd-0102', 'd-0103', 'd-0104', 'd-0105', 'd-0106', 'd-0107'];
    const devices = ids.map((id) => reg.devices.get(id)!);
    const start = Date.now() - 3 * 3_600_000;
    const faults = resolveScenario({
      registry: reg,
      devices,
      seed: 3,
      simStart: start,
      entries: [{ kind: 'burst', at: '+70m', for: '40m', site: 'hill-s1-p1', severity: 0.5 }],
    });
    if (!faults.ok) throw new Error(JSON.stringify(faults.issues));
    const sim = await createSim({
      mqttUrl: h.url,
      registry: reg,
      tokenFor: (id) => demoDeviceToken(id),
      log: pino({ level: 'silent' }),
      deviceIds: ids,
      start,
      speed: 600,
      durationMs: 150 * 60_000,
      faults: faults.value,
      staleClock: 'readings',
    });
    await waitFor(async () => sim.finished.then(() => true), 'the replay to finish', 60_000);
    await sim.stop();
    const burstFrom = start + 70 * 60_000;
    const burstTo = start + 130 * 60_000;
    const hydraulic = ['pressure-drop', 'pressure-low', 'burst'];
    const ofBurst = async () =>
      (await h.store.listAlerts({ limit: 1000, since: burstFrom - 60_000 })).items.filter(
        (a) => hydraulic.includes(a.ruleId) && Date.parse(a.raisedAt) <= burstTo,
      );
    await waitFor(async () => (await ofBurst()).length >= 3, 'the burst’s alerts', 20_000);
    const alerts = await ofBurst();
    const downstream = alerts.filter((a) => a.siteId !== 'hill-s1-p1');
    expect(downstream.length).toBeGreaterThanOrEqual(2);
    const incidents = new Set(alerts.map((a) => a.incidentId));
    expect(incidents.size).toBe(1);

    const app = createApp({
      registry: () => reg,
      store: h.store,
      online: () => true,
      log: pino({ level: 'silent' }),
    });
    const id = [...incidents][0]!;
    const res = await app.request(`/api/v1/incidents/${encodeURIComponent(id)}`, {
      headers: { authorization: `Bearer ${apiKey('demo-admin')}` },
    });
    expect(res.status).toBe(200);
    const incident = (await res.json()) as Incident & { alerts: { id: string; siteId: string }[] };
    if (process.env.TEST_DEBUG) console.log(JSON.stringify(incident, null, 1));
    expect(incident).toMatchObject({ kind: 'network', rootSiteId: 'hill-s1-p1', schemeId: 'hill-s1' });
    for (const a of downstream) expect(incident.alerts.map((x) => x.id)).toContain(a.id);
  });
});
