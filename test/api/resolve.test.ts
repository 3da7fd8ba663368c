/** POST /api/v1/alerts/{id}/resolve through app.request(): who may, what it records, and what it tells. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Alert, AlertEvent } from '../../core/alert.js';
import { type ApiFixture, cleared, createFixture, json, makeAlert, raised } from './fixture.js';

const T0 = Date.parse('2027-03-01T08:00:00Z');
const at = (min: number) => new Date(T0 + min * 60_000).toISOString();

describe('POST /api/v1/alerts/{id}/resolve', () => {
  let f: ApiFixture;
  let now = T0 + 3_600_000;
  const told: Alert[] = [];
  const resolve = (id: string, init: { key?: string; body?: unknown; raw?: string } = {}) =>
    f.call(`/api/v1/alerts/${id}/resolve`, {
      method: 'POST',
      key: init.key ?? 'ops-xiji',
      ...('raw' in init
        ? { raw: init.raw }
        : { body: 'body' in init ? init.body : { note: 'valve replaced' } }),
    });

  beforeEach(async () => {
    now = T0 + 3_600_000;
    told.length = 0;
    f = createFixture({ clock: () => now, onAlertResolved: (a) => told.push(a) });
    await f.store.appendAlertEvents([
      raised(makeAlert({ id: 'x-1', raisedAt: at(0) })),
      raised(makeAlert({ id: 'l-1', deviceId: 'd-0003', raisedAt: at(1) })),
    ]);
  });
  afterEach(() => f.close());

  it('ends an active alert, recording who, when and why, and keeps it unacknowledged', async () => {
    const res = await resolve('x-1');
    expect(res.status).toBe(200);
    const alert = await json<Alert>(res);
    const when = new Date(now).toISOString();
    expect(alert).toMatchObject({
      id: 'x-1',
      active: false,
      acknowledged: false,
      clearedAt: when,
      resolvedBy: 'ops-xiji',
      resolutionNote: 'valve replaced',
    });
    const history = await json<Alert & { events: AlertEvent[] }>(await f.call('/api/v1/alerts/x-1'));
    expect(history.events.map((e) => e.type)).toEqual(['raised', 'resolved']);
    expect(history.events[1]).toMatchObject({
      type: 'resolved',
      at: when,
      alert: { resolvedBy: 'ops-xiji' },
    });
    expect(history.active).toBe(false);
    const active = await json<{ items: Alert[] }>(await f.call('/api/v1/alerts?active=true'));
    expect(active.items.map((a) => a.id)).toEqual(['l-1']);
  });

  it('tells the rule runner and publishes the event, once the event is stored', async () => {
    await resolve('x-1');
    expect(told).toHaveLength(1);
    expect(told[0]).toMatchObject({ id: 'x-1', active: false, resolvedBy: 'ops-xiji' });
    // What it was told is what the store holds.
    expect(told[0]).toEqual((await f.store.getAlert('x-1'))?.alert);
    expect(f.published).toEqual([{ type: 'resolved', at: new Date(now).toISOString(), alert: told[0] }]);
  });

  it('answers 409 with the alert for an alert cleared by its rule, or resolved already, and changes nothing', async () => {
    await f.store.appendAlertEvents([cleared(makeAlert({ id: 'x-1', raisedAt: at(0) }), at(5))]);
    const res = await resolve('x-1');
    expect(res.status).toBe(409);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    const body = await json(res);
    expect(body).toMatchObject({ status: 409, alert: { id: 'x-1', active: false, clearedAt: at(5) } });
    expect(String(body.detail)).toMatch(/cleared by its rule/);

    expect((await resolve('l-1', { key: 'demo-admin' })).status).toBe(200);
    now += 60_000;
    const again = await resolve('l-1', { key: 'demo-admin', body: { note: 'second' } });
    expect(again.status).toBe(409);
    expect(await json(again)).toMatchObject({
      alert: { resolvedBy: 'demo-admin', resolutionNote: 'valve replaced' },
    });
    expect(told.map((a) => a.id)).toEqual(['l-1']);
    expect(f.published).toHaveLength(1);
    const history = await json<{ events: AlertEvent[] }>(await f.call('/api/v1/alerts/l-1'));
    expect(history.events.map((e) => e.type)).toEqual(['raised', 'resolved']);
  });

  it('appends one resolved event when two resolves race', async () => {
    const [a, b] = await Promise.all([
      resolve('x-1'),
      resolve('x-1', { key: 'demo-admin', body: { note: 'b' } }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const history = await json<{ events: AlertEvent[] }>(await f.call('/api/v1/alerts/x-1'));
    expect(history.events.filter((e) => e.type === 'resolved')).toHaveLength(1);
    expect(told).toHaveLength(1);
  });

  it('refuses another county with 403, a viewer with 403, and an unknown id with 404', async () => {
    expect((await resolve('l-1')).status).toBe(403);
    expect((await resolve('x-1', { key: 'planner' })).status).toBe(403);
    expect((await resolve('nope')).status).toBe(404);
    expect((await resolve('x-1', { key: 'wrong-key-id' })).status).toBe(401);
    expect((await f.store.getAlert('l-1'))?.alert.active).toBe(true);
    expect(told).toEqual([]);
  });

  it('requires a note of 1..2000 characters and refuses other fields, naming them', async () => {
    const cases: [init: { body?: unknown; raw?: string }, param: string][] = [
      [{ raw: '' }, 'note'],
      [{ body: {} }, 'note'],
      [{ body: { note: '' } }, 'note'],
      [{ body: { note: '   ' } }, 'note'],
      [{ body: { note: 42 } }, 'note'],
      [{ body: { note: 'x'.repeat(2001) } }, 'note'],
      [{ body: { note: 'ok', by: 'me' } }, 'by'],
      [{ raw: '{"note":' }, 'body'],
      [{ body: ['note'] }, 'body'],
      [{ body: 'note' }, 'body'],
    ];
    for (const [init, param] of cases) {
      const res = await resolve('x-1', init);
      expect(res.status, JSON.stringify(init).slice(0, 40)).toBe(400);
      expect(await json(res), JSON.stringify(init).slice(0, 40)).toMatchObject({ status: 400, param });
    }
    expect((await f.store.getAlert('x-1'))?.alert.active).toBe(true);
    const ok = await resolve('x-1', { body: { note: 'x'.repeat(2000) } });
    expect(ok.status).toBe(200);
  });

  it('is documented in OpenAPI with its body, roles and 409', async () => {
    const doc = await json<{ paths: Record<string, Record<string, Record<string, unknown>>> }>(
      await f.call('/openapi.json', { key: null }),
    );
    const op = doc.paths['/api/v1/alerts/{id}/resolve']?.post;
    expect(op).toMatchObject({ operationId: 'resolveAlert' });
    expect(Object.keys(op!.responses as object)).toEqual(
      expect.arrayContaining(['200', '400', '403', '404', '409', '413']),
    );
    expect(JSON.stringify(op!.requestBody)).toContain('ResolveRequest');
  });
});
