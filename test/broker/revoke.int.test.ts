/** A registry reload closes the connections it no longer accepts, and only those. */
import mqtt, { type MqttClient } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { createBroker, type WaterlineBroker } from '../../broker/create-broker.js';
import { type Listening, listenTcp } from '../../broker/listen.js';
import type { Registry } from '../../core/registry.js';
import { sha256Hex } from '../../devices-sim/demo-secret.js';
import { SERVICE_PASSWORDS } from '../helpers/broker.js';
import { parse, testLog } from '../helpers/ingest.js';
import { apiKey, smallRegistry, token } from '../helpers/small-registry.js';
import { waitFor } from '../helpers/wait-for.js';

describe('registry reload at the broker', () => {
  let broker: WaterlineBroker | undefined;
  let listener: Listening | undefined;
  const clients: MqttClient[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.endAsync(true)));
    await listener?.close();
    await broker?.close();
  });

  it('closes a removed device, a device whose token changed and a revoked key; others stay connected', async () => {
    let registry: Registry = parse(smallRegistry());
    broker = await createBroker({ registry: () => registry, services: SERVICE_PASSWORDS, log: testLog() });
    listener = await listenTcp(broker, 0, '127.0.0.1');
    const url = `mqtt://127.0.0.1:${listener.port}`;
    const connect = async (username: string, password: string) => {
      const c = await mqtt.connectAsync(url, { clientId: username, username, password, reconnectPeriod: 0 });
      clients.push(c);
      return c;
    };
    const removed = await connect('d-0001', token('d-0001'));
    const rekeyed = await connect('d-0002', token('d-0002'));
    const kept = await connect('d-0003', token('d-0003'));
    const watcher = await connect('key:ops-xiji', apiKey('ops-xiji'));
    const admin = await connect('key:demo-admin', apiKey('demo-admin'));

    const next = smallRegistry();
    next.devices = next.devices.filter((d) => d.id !== 'd-0001');
    next.devices.find((d) => d.id === 'd-0002')!.tokenSha256 = sha256Hex('a new token');
    next.apiKeys = next.apiKeys.filter((k) => k.id !== 'ops-xiji');
    registry = parse(next);
    expect(broker.revokeStale()).toBe(3);

    await waitFor(async () => !removed.connected && !rekeyed.connected && !watcher.connected, 'closed');
    await new Promise((r) => setTimeout(r, 200));
    expect(kept.connected).toBe(true);
    expect(admin.connected).toBe(true);
  });
});
