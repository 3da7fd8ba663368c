/** The simulator against a real broker: own credentials, a fast replay, store-and-forward and broken payloads. */
import mqtt from 'mqtt';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSim } from '../../devices-sim/create-sim.js';
import { demoDeviceToken } from '../../devices-sim/demo-secret.js';
import { resolveScenario } from '../../devices-sim/scenario-resolve.js';
import { SERVICE_PASSWORDS, startTestBroker, type TestBroker } from '../helpers/broker.js';
import { waitFor } from '../helpers/wait-for.js';
import { simRegistry } from './sim-registry.js';

interface Message {
  deviceId: string;
  payload: string;
}

describe('the simulator on a real broker', () => {
  let broker: TestBroker;
  let watcher: mqtt.MqttClient;
  const messages: Message[] = [];

  beforeAll(async () => {
    broker = await startTestBroker(simRegistry());
    watcher = await mqtt.connectAsync(broker.url, {
      username: 'svc:ingest',
      password: SERVICE_PASSWORDS.ingest,
      clientId: 'svc:ingest',
    });
    await watcher.subscribeAsync('wl/v1/+/telemetry', { qos: 1 });
    watcher.on('message', (topic, payload) =>
      messages.push({ deviceId: topic.split('/')[2]!, payload: payload.toString() }),
    );
  });
  afterAll(async () => {
    await watcher?.endAsync();
    await broker?.stop();
  });

  it('replays faster than real time, sends a buffered batch on reconnection and keeps timestamps monotone', async () => {
    const registry = broker.registry;
    const start = Date.now() - 2 * 3_600_000;
    const ids = ['d-0101', 'd-0103', 'd-0104'];
    const devices = ids.map((id) => registry.devices.get(id)!);
    const faults = resolveScenario({
      registry,
      devices,
      seed: 1,
      simStart: start,
      entries: [
        { kind: 'device-offline', at: '+10m', for: '15m', device: 'd-0103' },
        { kind: 'malformed', at: '+5m', for: '3m', device: 'd-0104' },
      ],
    });
    if (!faults.ok) throw new Error(JSON.stringify(faults.issues));
    const sim = await createSim({
      mqttUrl: broker.url,
      registry,
      tokenFor: (id) => demoDeviceToken(id),
      log: pino({ level: 'silent' }),
      deviceIds: ids,
      start,
      speed: 600,
      durationMs: 40 * 60_000,
      faults: faults.value,
    });
    await waitFor(async () => sim.finished.then(() => true), 'the replay to finish', 20_000);
    // Everything sent reaches the broker; the replay has ended, so the count no longer grows.
    await waitFor(
      async () => messages.some((m) => m.deviceId === 'd-0103' && m.payload.startsWith('[')),
      'the batch',
    );
    expect(sim.published()).toBeGreaterThan(100);
    await sim.stop();

    const of = (id: string) => messages.filter((m) => m.deviceId === id);
    // d-0103: single readings, then one array of the ~30 readings it held, then single readings again.
    const batches = of('d-0103').filter((m) => m.payload.startsWith('['));
    expect(batches).toHaveLength(1);
    const held = JSON.parse(batches[0]!.payload) as { ts: number }[];
    expect(held.length).toBeGreaterThan(20);
    const offlineFrom = start + 10 * 60_000;
    expect(held.every((r) => r.ts >= offlineFrom - 60_000 && r.ts < offlineFrom + 16 * 60_000)).toBe(true);
    const all = of('d-0103').flatMap((m) => {
      const x = JSON.parse(m.payload) as { ts: number } | { ts: number }[];
      return Array.isArray(x) ? x : [x];
    });
    const ts = all.map((r) => r.ts);
    expect(ts).toEqual([...ts].sort((a, b) => a - b));
    expect(ts[ts.length - 1]!).toBeLessThanOrEqual(start + 40 * 60_000);
    expect(ts[ts.length - 1]!).toBeLessThan(Date.now());
    // d-0104 also sent broken payloads: not JSON, too big, bad values.
    const broken = of('d-0104').filter((m) => {
      try {
        const x = JSON.parse(m.payload);
        return (
          Array.isArray(x) ||
          typeof x.ts !== 'number' ||
          x.ts > Date.now() ||
          x.note !== undefined ||
          JSON.stringify(x.values).includes('salinity')
        );
      } catch {
        return true;
      }
    });
    expect(broken.length).toBeGreaterThanOrEqual(3);
  });
});
