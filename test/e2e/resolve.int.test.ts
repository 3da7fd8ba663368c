/** End to end: an operator resolves an alert through the API, and the next breach raises a new one. */
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../core/alert.js';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { apiKey, smallRegistry, token } from '../helpers/small-registry.js';
import { waitFor } from '../helpers/wait-for.js';

describe('resolving an alert on a running platform', () => {
  let p: TestPlatform;
  let device: MqttClient;
  const call = async (path: string, init: RequestInit = {}) =>
    fetch(`${p.httpUrl}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${apiKey('ops-xiji')}`, 'content-type': 'application/json' },
    });
  const activeTurbidity = async () => {
    const res = await call('/api/v1/alerts?active=true&device=d-0001');
    return ((await res.json()) as { items: Alert[] }).items.filter((a) => a.ruleId === 'turbidity-max');
  };

  beforeAll(async () => {
    p = await startTestPlatform(smallRegistry(), { sim: false });
    device = await mqtt.connectAsync(p.mqttUrl, {
      clientId: 'd-0001',
      username: 'd-0001',
      password: token('d-0001'),
      reconnectPeriod: 0,
    });
  }, 30_000);
  afterAll(async () => {
    await device?.endAsync(true).catch(() => {});
    await p?.stop();
  });

  it('raises a new alert on the next breach after a resolve, while the old one stays resolved', async () => {
    const t = Date.now() - 60_000;
    // GB 5749-2022 Table 1: turbidity at most 1 NTU; the 2nd breaching Reading raises.
    const send = (ts: number, turbidity: number) =>
      device.publishAsync('wl/v1/d-0001/telemetry', JSON.stringify({ ts, values: { turbidity } }), {
        qos: 1,
      });
    await send(t, 3);
    await send(t + 1000, 3);
    const [first] = await waitFor(async () => {
      const a = await activeTurbidity();
      return a.length === 1 && a;
    }, 'the first alert');

    const res = await call(`/api/v1/alerts/${encodeURIComponent(first!.id)}/resolve`, {
      method: 'POST',
      body: JSON.stringify({ note: 'filter backwashed' }),
    });
    expect(res.status).toBe(200);
    expect(await activeTurbidity()).toEqual([]);

    // Still breaching: a new alert after raiseAfter (2) fresh Readings, as usual.
    await send(t + 2000, 3);
    await send(t + 3000, 3);
    const [second] = await waitFor(async () => {
      const a = await activeTurbidity();
      return a.length === 1 && a;
    }, 'a new alert');
    expect(second!.id).not.toBe(first!.id);
    expect(second!.raisedAt).toBe(new Date(t + 3000).toISOString());
    const old = (await (await call(`/api/v1/alerts/${encodeURIComponent(first!.id)}`)).json()) as Alert;
    expect(old).toMatchObject({ active: false, resolvedBy: 'ops-xiji', resolutionNote: 'filter backwashed' });
  });
});
