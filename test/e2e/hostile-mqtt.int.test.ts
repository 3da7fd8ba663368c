/**
 * Hostile MQTT against a running platform: bad CONNECTs, forbidden topics, broken packets and payloads.
 * Each is refused or reported precisely, the platform stays up, and a well-behaved device's Readings
 * sent all around them are stored exactly once each (counted through the API).
 */
import mqtt, { type MqttClient } from 'mqtt';
import type { Packet } from 'mqtt-packet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorPayload } from '../../core/topics.js';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { apiKey, smallRegistry, token } from '../helpers/small-registry.js';
import { waitFor } from '../helpers/wait-for.js';
import { badConnects, badPayloads, FORBIDDEN_PUBLISH, FORBIDDEN_SUBSCRIBE } from './hostile/mqtt-cases.js';
import { connectPacket, openRaw, publishPacket, rawPublish, subscribePacket } from './hostile/mqtt-raw.js';

/** How long a refusal may take: the broker slows repeated failed logins from one address. */
const REFUSAL_MS = 15_000;

describe('hostile MQTT input', () => {
  let p: TestPlatform;
  let good: MqttClient;
  let hostile: MqttClient;
  let watcher: MqttClient;
  const errors: ErrorPayload[] = [];
  const now = Date.now();
  /** ts of every valid Reading sent, per device; each distinct, all within the last hour. */
  const sent = { 'd-0001': [] as number[], 'd-0002': [] as number[] };
  let tick = 0;
  const nextTs = () => now - 3_600_000 + ++tick * 1000;
  let inputs = 0;

  /** The well-behaved device: one valid Reading, sometimes sent twice (a redelivery is one Reading). */
  async function goodReading(): Promise<void> {
    const ts = nextTs();
    sent['d-0001'].push(ts);
    const payload = JSON.stringify({ ts, values: { ph: 7 + (tick % 10) / 10, chlorine: 0.5 } });
    await good.publishAsync('wl/v1/d-0001/telemetry', payload, { qos: 1 });
    if (tick % 5 === 0) await good.publishAsync('wl/v1/d-0001/telemetry', payload, { qos: 1 });
  }

  /** A raw session logged in as the hostile device (valid credentials), with a client id of its own. */
  async function hostileSession(suffix: string) {
    const s = await openRaw(p.mqttUrl);
    s.send(connectPacket({ clientId: `d-0002:${suffix}`, username: 'd-0002', password: token('d-0002') }));
    const ack = await s.packet((x) => x.cmd === 'connack');
    expect(ack && 'returnCode' in ack ? ack.returnCode : -1, suffix).toBe(0);
    return s;
  }

  beforeAll(async () => {
    p = await startTestPlatform(smallRegistry(), { sim: false });
    const login = (clientId: string, user: string) =>
      mqtt.connectAsync(p.mqttUrl, { clientId, username: user, password: token(user), reconnectPeriod: 0 });
    good = await login('d-0001', 'd-0001');
    hostile = await login('d-0002', 'd-0002');
    watcher = await login('d-0002:errors', 'd-0002');
    watcher.on('message', (_t, payload) => errors.push(JSON.parse(payload.toString()) as ErrorPayload));
    await watcher.subscribeAsync('wl/v1/d-0002/errors', { qos: 1 });
  }, 30_000);

  afterAll(async () => {
    for (const c of [good, hostile, watcher]) await c?.endAsync(true).catch(() => {});
    await p?.stop();
  });

  it('refuses every bad CONNECT: bad credentials, stolen identities, wrong protocol name or level, bad flags', async () => {
    const cases = badConnects(token);
    const accepted: string[] = [];
    // At once: the broker delays repeated refusals from one address, and they should not queue up.
    await Promise.all(
      cases.map(async (c) => {
        const s = await openRaw(p.mqttUrl);
        s.send(c.bytes);
        const ack = await s.packet((x) => x.cmd === 'connack', REFUSAL_MS);
        if (ack && 'returnCode' in ack && ack.returnCode === 0) accepted.push(c.name);
        s.end();
      }),
    );
    inputs += cases.length;
    await goodReading();
    expect(accepted).toEqual([]);
  });

  it('refuses a second CONNECT on an open connection by closing it (MQTT 3.1.1 §3.1.0-2)', async () => {
    const s = await hostileSession('twice');
    s.send(connectPacket({ clientId: 'd-0002:twice', username: 'd-0002', password: token('d-0002') }));
    expect(await s.closedWithin(5_000)).toBe(true);
    inputs++;
    await goodReading();
  });

  it('refuses publishes outside the device’s own telemetry topic, storing nothing of them', async () => {
    const acked: string[] = [];
    for (const [i, topic] of FORBIDDEN_PUBLISH.entries()) {
      const s = await hostileSession(`pub${i}`);
      // A Reading for the well-behaved device, at a ts it never uses: the final count would show it.
      const payload = JSON.stringify({ ts: now - 7_200_000 + i, values: { ph: 7, pressure: 0.3 } });
      s.send(publishPacket(topic, payload, 1, 7));
      const ack = await s.packet((x) => x.cmd === 'puback', 1_500);
      // Refused is either no PUBACK (the connection closed) or one that delivered nothing; the store decides.
      if (ack && !s.closed) acked.push(topic);
      s.end();
      await goodReading();
    }
    inputs += FORBIDDEN_PUBLISH.length;
    // A watcher key may publish nothing at all.
    const key = await openRaw(p.mqttUrl);
    key.send(
      connectPacket({ clientId: 'key:planner', username: 'key:planner', password: apiKey('planner') }),
    );
    await key.packet((x) => x.cmd === 'connack');
    key.send(
      publishPacket(
        'wl/v1/d-0001/telemetry',
        JSON.stringify({ ts: now - 7_300_000, values: { ph: 7 } }),
        1,
        3,
      ),
    );
    await key.packet((x) => x.cmd === 'puback', 1_500);
    key.end();
    inputs++;
    // What the broker acknowledged must still not have reached ingest: checked in the final count.
    expect(acked.filter((t) => t.includes('telemetry') && !t.endsWith('/extra'))).toEqual([]);
  });

  it('refuses subscriptions outside the device’s own tree, wildcards included', async () => {
    const granted: string[] = [];
    const s = await hostileSession('subs');
    for (const [i, topic] of FORBIDDEN_SUBSCRIBE.entries()) {
      if (s.closed) break;
      s.send(subscribePacket(topic, i + 1));
      const ack = (await s.packet((x) => x.cmd === 'suback' && x.messageId === i + 1, 3_000)) as
        | (Packet & { granted?: number[] })
        | null;
      if (ack && ack.granted?.[0] !== 128) granted.push(topic);
    }
    s.end();
    inputs += FORBIDDEN_SUBSCRIBE.length;
    expect(granted).toEqual([]);
    // Its own tree is allowed: the refusals above were about the topics, not the session.
    const own = await hostileSession('own');
    own.send(subscribePacket('wl/v1/d-0002/#', 99));
    const ack = (await own.packet((x) => x.cmd === 'suback')) as (Packet & { granted?: number[] }) | null;
    expect(ack?.granted).toEqual([1]);
    own.end();
    await goodReading();
  });

  it('closes a connection sending a QoS 1 PUBLISH with packet id 0 (MQTT 3.1.1 §2.3.1), storing nothing', async () => {
    const s = await hostileSession('pid0');
    s.send(
      rawPublish(
        'wl/v1/d-0002/telemetry',
        JSON.stringify({ ts: now - 7_400_000, values: { pressure: 0.3 } }),
        1,
        0,
      ),
    );
    expect(await s.closedWithin(5_000)).toBe(true);
    expect(s.packets.some((x) => x.cmd === 'puback')).toBe(false);
    inputs++;
    await goodReading();
  });

  it('closes a connection sending a packet over 256 KiB', async () => {
    const s = await hostileSession('huge');
    s.send(rawPublish('wl/v1/d-0002/telemetry', 'x'.repeat(300_000), 1, 5));
    expect(await s.closedWithin(5_000)).toBe(true);
    inputs++;
    await goodReading();
  });

  it('reports each bad payload once on the device’s errors topic, saying what and where', async () => {
    const cases = badPayloads(now);
    const before = errors.length;
    for (const c of cases) {
      await hostile.publishAsync('wl/v1/d-0002/telemetry', c.payload, { qos: 1 });
      // A valid Reading of the same device right after: it is kept.
      const ts = nextTs();
      sent['d-0002'].push(ts);
      await hostile.publishAsync(
        'wl/v1/d-0002/telemetry',
        JSON.stringify({ ts, values: { pressure: 0.3 } }),
        { qos: 1 },
      );
      await goodReading();
    }
    inputs += cases.length;
    await waitFor(async () => errors.length >= before + cases.length, 'an error for every bad payload');
    const got = errors.slice(before, before + cases.length);
    const wrong = cases.flatMap((c, i) => {
      const e = got[i];
      const ok =
        e !== undefined &&
        c.error.test(e.error) &&
        (c.path === undefined || e.path === c.path) &&
        Number.isFinite(Date.parse(e.at)) &&
        // Echoed input is cut short: no error repeats a 70 KiB payload or a 10 KB ts.
        JSON.stringify(e).length < 1_000;
      return ok ? [] : [`${c.name}: ${JSON.stringify(e)?.slice(0, 200)}`];
    });
    expect(wrong).toEqual([]);
  });

  it('cuts an echoed ts to a short prefix', async () => {
    const before = errors.length;
    await hostile.publishAsync(
      'wl/v1/d-0002/telemetry',
      JSON.stringify({ ts: 'T'.repeat(10_000), values: { pressure: 0.3 } }),
      { qos: 1 },
    );
    inputs++;
    await waitFor(async () => errors.length > before, 'the error');
    expect(JSON.stringify(errors[before]).length).toBeLessThan(1_000);
    expect(errors[before]?.path).toBe('ts');
  });

  it('reports a batch with several bad items in ONE error message listing them by index, keeping its valid items', async () => {
    const before = errors.length;
    const a = nextTs();
    const b = nextTs();
    sent['d-0002'].push(a, b);
    const batch = [
      { ts: a, values: { pressure: 0.3 } },
      { ts: nextTs(), values: { pressure: 99 } },
      { ts: b, values: { pressure: 0.31 } },
      'x',
      { ts: nextTs(), values: { colour: 1 } },
    ];
    await hostile.publishAsync('wl/v1/d-0002/telemetry', JSON.stringify(batch), { qos: 1 });
    inputs++;
    // Then a marker: its own error tells that everything about the batch has been published.
    await hostile.publishAsync('wl/v1/d-0002/telemetry', 'marker-not-json', { qos: 1 });
    await waitFor(async () => errors.slice(before).some((e) => /not JSON/.test(e.error)), 'the marker error');
    const about = errors.slice(before).filter((e) => !/not JSON/.test(e.error));
    expect(about).toHaveLength(1);
    const text = JSON.stringify(about[0]);
    for (const index of ['[1]', '[3]', '[4]']) expect(text).toContain(index);
    expect(text).not.toContain('[0]');
    expect(text).not.toContain('[2]');
  });

  it(`stays up, having stored every valid Reading sent around ${'the'} hostile inputs exactly once`, async () => {
    expect(inputs).toBeGreaterThanOrEqual(100);
    const from = new Date(now - 8_000_000).toISOString();
    const to = new Date(now + 60_000).toISOString();
    const points = async (device: string, metric: string) => {
      const res = await fetch(
        `${p.httpUrl}/api/v1/devices/${device}/readings?metric=${metric}&from=${from}&to=${to}`,
        { headers: { authorization: `Bearer ${apiKey('demo-admin')}` } },
      );
      expect(res.status).toBe(200);
      return ((await res.json()) as { points: { ts: string }[] }).points.map((x) => Date.parse(x.ts));
    };
    const expected = (device: keyof typeof sent) => [...sent[device]].sort((x, y) => x - y);
    // Every valid Reading arrives; nothing else (no forbidden publish, no duplicate) ever does.
    const d1 = await waitFor(async () => {
      const got = await points('d-0001', 'ph');
      return got.length >= sent['d-0001'].length && got;
    }, 'the well-behaved device’s Readings');
    expect(d1).toEqual(expected('d-0001'));
    const d2 = await waitFor(async () => {
      const got = await points('d-0002', 'pressure');
      return got.length >= sent['d-0002'].length && got;
    }, 'the hostile device’s valid Readings');
    expect(d2).toEqual(expected('d-0002'));
    expect(await points('d-0003', 'chlorine')).toEqual([]);
    // The device still gets through, and the API still answers.
    await goodReading();
    await waitFor(
      async () => (await points('d-0001', 'ph')).length === sent['d-0001'].length,
      'a last Reading',
    );
    expect((await fetch(`${p.httpUrl}/healthz`)).status).toBe(200);
  });
});
