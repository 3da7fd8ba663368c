/** The live alert stream over a real HTTP server: delivery, scope, heartbeat, and resume with Last-Event-ID. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type HttpListening, listenHttp } from '../../api/serve.js';
import { apiKey } from '../helpers/small-registry.js';
import { type ApiFixture, createFixture, makeAlert, raised } from './fixture.js';
import { openSse, type SseClient } from './sse-client.js';

const T0 = Date.parse('2027-03-01T08:00:00Z');
const at = (min: number) => new Date(T0 + min * 60_000).toISOString();

describe('GET /api/v1/alerts/stream', () => {
  let f: ApiFixture;
  let http: HttpListening;
  const open: SseClient[] = [];
  const connect = async (opts: { key?: string; query?: string; lastEventId?: string } = {}) => {
    const headers: Record<string, string> = { authorization: `Bearer ${apiKey(opts.key ?? 'demo-admin')}` };
    if (opts.lastEventId) headers['last-event-id'] = opts.lastEventId;
    const c = await openSse(`http://127.0.0.1:${http.port}/api/v1/alerts/stream${opts.query ?? ''}`, headers);
    open.push(c);
    if (c.status === 200) await c.waitFor((fr) => fr.comment === 'connected', 'the connected comment');
    return c;
  };

  beforeEach(async () => {
    f = createFixture({ options: { streamPollMs: 50, heartbeatMs: 200 } });
    http = await listenHttp(f.app, 0, '127.0.0.1');
  });
  afterEach(async () => {
    for (const c of open.splice(0)) c.close();
    await http.close();
    f.close();
  });

  it('sends each stored AlertEvent as an `alert` event whose id is the stored event id', async () => {
    await f.store.appendAlertEvents([raised(makeAlert({ id: 'before', raisedAt: at(0) }))]);
    const c = await connect();
    expect(c.status).toBe(200);
    await f.store.appendAlertEvents([raised(makeAlert({ id: 'after', raisedAt: at(1) }))]);
    await c.waitFor((fr) => fr.event === 'alert', 'an alert event');
    const [stored] = await f.store
      .alertEventsAfter(null, 10)
      .then((all) => all.filter((e) => e.event.alert.id === 'after'));
    // Without Last-Event-ID the stream starts now: the earlier alert is not replayed.
    expect(c.alerts()).toEqual([{ id: stored!.id, type: 'raised', alertId: 'after', countyId: 'xiji' }]);
    const frame = c.frames.find((fr) => fr.event === 'alert')!;
    expect(JSON.parse(frame.data!)).toMatchObject({ type: 'raised', at: at(1), alert: { id: 'after' } });
  });

  it('sends a heartbeat comment while idle', async () => {
    const c = await connect();
    await c.waitFor((fr) => fr.comment === 'heartbeat', 'a heartbeat');
  });

  it('resumes after a disconnect: Last-Event-ID brings exactly the events missed', async () => {
    const first = await connect();
    await f.store.appendAlertEvents([raised(makeAlert({ id: 'seen', raisedAt: at(0) }))]);
    const seen = await first.waitFor((fr) => fr.event === 'alert', 'the first event');
    first.close();

    const missed = [
      makeAlert({ id: 'missed-1', raisedAt: at(1) }),
      makeAlert({ id: 'missed-2', raisedAt: at(2) }),
    ];
    await f.store.appendAlertEvents(missed.map(raised));

    const again = await connect({ lastEventId: seen.id });
    await again.waitFor((fr) => fr.data?.includes('missed-2') ?? false, 'the second missed event');
    await f.store.appendAlertEvents([raised(makeAlert({ id: 'live', raisedAt: at(3) }))]);
    await again.waitFor((fr) => fr.data?.includes('"live"') ?? false, 'the live event after the catch-up');
    expect(again.alerts().map((a) => a.alertId)).toEqual(['missed-1', 'missed-2', 'live']);
    const ids = again.alerts().map((a) => Number(a.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
  });

  it('keeps a scoped operator to its counties, and filters by county', async () => {
    const ops = await connect({ key: 'ops-xiji' });
    const longdeOnly = await connect({ query: '?county=longde' });
    const everything = await connect({ key: 'planner' });
    await f.store.appendAlertEvents([
      raised(makeAlert({ id: 'l-1', deviceId: 'd-0003', raisedAt: at(0) })),
      raised(makeAlert({ id: 'x-1', raisedAt: at(1) })),
    ]);
    await everything.waitFor((fr) => fr.data?.includes('x-1') ?? false, 'both events for the planner');
    await ops.waitFor((fr) => fr.data?.includes('x-1') ?? false, 'the xiji event for the operator');
    await longdeOnly.waitFor((fr) => fr.data?.includes('l-1') ?? false, 'the longde event');
    // Both alerts were appended in one transaction and delivered in one batch, so nothing else is pending.
    expect(ops.alerts().map((a) => a.alertId)).toEqual(['x-1']);
    expect(longdeOnly.alerts().map((a) => a.alertId)).toEqual(['l-1']);
    expect(everything.alerts().map((a) => a.alertId)).toEqual(['l-1', 'x-1']);
  });

  it('does not leak another county to a scoped operator resuming from an old Last-Event-ID', async () => {
    await f.store.appendAlertEvents([
      raised(makeAlert({ id: 'l-old', deviceId: 'd-0003', raisedAt: at(0) })),
      raised(makeAlert({ id: 'x-old', raisedAt: at(1) })),
    ]);
    const ops = await connect({ key: 'ops-xiji', lastEventId: '0' });
    await ops.waitFor((fr) => fr.data?.includes('x-old') ?? false, 'the xiji event');
    expect(ops.alerts().map((a) => a.alertId)).toEqual(['x-old']);
  });

  it('refuses another county with 403, an unknown county with 400, and no key with 401', async () => {
    expect((await connect({ key: 'ops-xiji', query: '?county=longde' })).status).toBe(403);
    expect((await connect({ query: '?county=atlantis' })).status).toBe(400);
    expect((await connect({ query: '?colour=blue' })).status).toBe(400);
    const res = await fetch(`http://127.0.0.1:${http.port}/api/v1/alerts/stream`);
    expect(res.status).toBe(401);
  });

  it('streams an acknowledgement made through the API', async () => {
    await f.store.appendAlertEvents([raised(makeAlert({ id: 'to-ack', raisedAt: at(0) }))]);
    const c = await connect({ key: 'ops-xiji' });
    const ack = await fetch(`http://127.0.0.1:${http.port}/api/v1/alerts/to-ack/ack`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey('ops-xiji')}`, 'content-type': 'application/json' },
      body: JSON.stringify({ note: 'on it' }),
    });
    expect(ack.status).toBe(200);
    const fr = await c.waitFor((x) => x.event === 'alert', 'the acknowledged event');
    expect(JSON.parse(fr.data!)).toMatchObject({
      type: 'acknowledged',
      alert: { id: 'to-ack', acknowledged: true, acknowledgedBy: 'ops-xiji', note: 'on it' },
    });
  });

  it('answers an unreadable Last-Event-ID with 400 naming it', async () => {
    for (const bad of ['abc', '12x', '-5', 'x'.repeat(10_000)]) {
      const res = await fetch(`http://127.0.0.1:${http.port}/api/v1/alerts/stream`, {
        headers: { authorization: `Bearer ${apiKey('demo-admin')}`, 'last-event-id': bad },
      });
      expect(res.status, bad.slice(0, 10)).toBe(400);
      const body = (await res.json()) as { param: string; detail: string };
      expect(body.param).toBe('Last-Event-ID');
      expect(JSON.stringify(body).length).toBeLessThan(1000);
    }
  });

  it('resumes from now when Last-Event-ID is past the newest stored event', async () => {
    await f.store.appendAlertEvents([raised(makeAlert({ id: 'old', raisedAt: at(0) }))]);
    const newest = await f.store.latestAlertEventId();
    const ahead = (BigInt(newest!) + 1_000_000n).toString();
    const c = await connect({ lastEventId: ahead });
    await f.store.appendAlertEvents([raised(makeAlert({ id: 'next', raisedAt: at(1) }))]);
    await c.waitFor((fr) => fr.data?.includes('"next"') ?? false, 'the next event');
    expect(c.alerts().map((a) => a.alertId)).toEqual(['next']);
  });
});
