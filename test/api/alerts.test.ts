/** Alert routes through app.request(): filters, stable paging, history, acknowledgement, roles and scope. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AlertPage, AlertWithHistory } from '../../api/schemas/alerts.js';
import type { Alert } from '../../core/alert.js';
import { type ApiFixture, cleared, createFixture, json, makeAlert, raised } from './fixture.js';

const T0 = Date.parse('2027-03-01T08:00:00Z');
const at = (min: number) => new Date(T0 + min * 60_000).toISOString();

describe('GET /api/v1/alerts', () => {
  let f: ApiFixture;
  let xijiCritical: Alert;
  let xijiWarning: Alert;
  let longde: Alert;
  beforeEach(async () => {
    f = createFixture();
    xijiCritical = makeAlert({ id: 'x-crit', raisedAt: at(0) });
    xijiWarning = makeAlert({ id: 'x-warn', deviceId: 'd-0002', severity: 'warning', raisedAt: at(1) });
    longde = makeAlert({ id: 'l-crit', deviceId: 'd-0003', raisedAt: at(2) });
    await f.store.appendAlertEvents([
      raised(xijiCritical),
      raised(xijiWarning),
      raised(longde),
      cleared(xijiWarning, at(5)),
    ]);
  });
  afterEach(() => f.close());

  const ids = async (path: string, key?: string) => {
    const res = await f.call(path, { key });
    expect(res.status).toBe(200);
    const body = AlertPage.parse(await res.json());
    return body.items.map((a) => a.id);
  };

  it('lists alerts newest raisedAt first, in the documented shape', async () => {
    expect(await ids('/api/v1/alerts')).toEqual(['l-crit', 'x-warn', 'x-crit']);
  });

  it('applies every filter', async () => {
    expect(await ids('/api/v1/alerts?active=true')).toEqual(['l-crit', 'x-crit']);
    expect(await ids('/api/v1/alerts?active=false')).toEqual(['x-warn']);
    expect(await ids('/api/v1/alerts?severity=warning')).toEqual(['x-warn']);
    expect(await ids('/api/v1/alerts?county=longde')).toEqual(['l-crit']);
    expect(await ids('/api/v1/alerts?device=d-0001')).toEqual(['x-crit']);
    expect(await ids(`/api/v1/alerts?since=${encodeURIComponent(at(1))}`)).toEqual(['l-crit', 'x-warn']);
    expect(await ids(`/api/v1/alerts?since=${T0 + 60_000}`)).toEqual(['l-crit', 'x-warn']);
    expect(await ids('/api/v1/alerts?acknowledged=true')).toEqual([]);
    await f.call('/api/v1/alerts/x-crit/ack', { method: 'POST' });
    expect(await ids('/api/v1/alerts?acknowledged=true')).toEqual(['x-crit']);
    expect(await ids('/api/v1/alerts?acknowledged=false&active=true')).toEqual(['l-crit']);
  });

  it('pages with a stable cursor, even across equal raisedAt and alerts added meanwhile', async () => {
    await f.store.appendAlertEvents(
      ['t-1', 't-2', 't-3'].map((id) => raised(makeAlert({ id, raisedAt: at(1) }))),
    );
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 10; page++) {
      const res = await f.call(`/api/v1/alerts?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      const body = AlertPage.parse(await res.json());
      seen.push(...body.items.map((a) => a.id));
      // A newer alert arriving between pages must not shift the pages after the first.
      if (page === 0) await f.store.appendAlertEvents([raised(makeAlert({ id: 'late', raisedAt: at(9) }))]);
      cursor = body.nextCursor;
      if (!cursor) break;
    }
    expect(seen).toEqual(['l-crit', 'x-warn', 't-3', 't-2', 't-1', 'x-crit']);
  });

  it('refuses each malformed parameter with 400 problem+json naming it', async () => {
    const cases: [string, string][] = [
      ['active=yes', 'active'],
      ['acknowledged=1', 'acknowledged'],
      ['severity=info', 'severity'],
      ['county=Xiji!', 'county'],
      ['county=nowhere', 'county'],
      ['device=d-9999', 'device'],
      ['since=yesterday', 'since'],
      ['since=2027-03-01T08:00:00', 'since'],
      ['limit=0', 'limit'],
      ['limit=1001', 'limit'],
      ['limit=ten', 'limit'],
      ['cursor=garbage', 'cursor'],
      ['colour=blue', 'colour'],
    ];
    for (const [query, param] of cases) {
      const res = await f.call(`/api/v1/alerts?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      const body = await json(res);
      expect(body, query).toMatchObject({ status: 400, param });
      expect(String(body.detail)).toMatch(new RegExp(`^${param}: `));
    }
  });

  it('accepts the limits 1 and 1000', async () => {
    expect(await ids('/api/v1/alerts?limit=1')).toEqual(['l-crit']);
    expect(await ids('/api/v1/alerts?limit=1000')).toHaveLength(3);
  });

  it('shows a scoped operator only its counties, and refuses another county by filter', async () => {
    expect(await ids('/api/v1/alerts', 'ops-xiji')).toEqual(['x-warn', 'x-crit']);
    expect(await ids('/api/v1/alerts?county=xiji', 'ops-xiji')).toEqual(['x-warn', 'x-crit']);
    for (const q of ['county=longde', 'device=d-0003']) {
      const res = await f.call(`/api/v1/alerts?${q}`, { key: 'ops-xiji' });
      expect(res.status, q).toBe(403);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
    }
    expect(await ids('/api/v1/alerts', 'planner')).toHaveLength(3);
  });
});

describe('GET /api/v1/alerts/{id}', () => {
  let f: ApiFixture;
  beforeEach(() => {
    f = createFixture();
  });
  afterEach(() => f.close());

  it('returns the alert with its history, oldest event first', async () => {
    const a = makeAlert({ id: 'h-1', raisedAt: at(0) });
    await f.store.appendAlertEvents([raised(a), cleared(a, at(3))]);
    const res = await f.call('/api/v1/alerts/h-1');
    expect(res.status).toBe(200);
    const body = AlertWithHistory.parse(await res.json());
    expect(body).toMatchObject({ id: 'h-1', active: false, clearedAt: at(3) });
    expect(body.events.map((e) => e.type)).toEqual(['raised', 'cleared']);
  });

  it('answers 404 for an unknown alert and 403 for another county', async () => {
    await f.store.appendAlertEvents([raised(makeAlert({ id: 'l-1', deviceId: 'd-0003', raisedAt: at(0) }))]);
    expect((await f.call('/api/v1/alerts/nope')).status).toBe(404);
    const res = await f.call('/api/v1/alerts/l-1', { key: 'ops-xiji' });
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect((await f.call('/api/v1/alerts/l-1', { key: 'planner' })).status).toBe(200);
  });
});

describe('POST /api/v1/alerts/{id}/ack', () => {
  let f: ApiFixture;
  let now = T0 + 3_600_000;
  beforeEach(async () => {
    now = T0 + 3_600_000;
    f = createFixture({ clock: () => now });
    await f.store.appendAlertEvents([
      raised(makeAlert({ id: 'x-1', raisedAt: at(0) })),
      raised(makeAlert({ id: 'l-1', deviceId: 'd-0003', raisedAt: at(1) })),
    ]);
  });
  afterEach(() => f.close());

  it('acknowledges with a note, records who and when, and keeps the alert active', async () => {
    const res = await f.call('/api/v1/alerts/x-1/ack', {
      method: 'POST',
      key: 'ops-xiji',
      body: { note: 'crew sent to the plant' },
    });
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({
      id: 'x-1',
      active: true,
      acknowledged: true,
      acknowledgedAt: new Date(now).toISOString(),
      acknowledgedBy: 'ops-xiji',
      note: 'crew sent to the plant',
    });
    const history = AlertWithHistory.parse(await json(await f.call('/api/v1/alerts/x-1')));
    expect(history.events.map((e) => e.type)).toEqual(['raised', 'acknowledged']);
    expect(f.published).toHaveLength(1);
    expect(f.published[0]).toMatchObject({
      type: 'acknowledged',
      alert: { id: 'x-1', acknowledgedBy: 'ops-xiji' },
    });
  });

  it('is idempotent: a repeat keeps the first ack and emits no event', async () => {
    await f.call('/api/v1/alerts/x-1/ack', { method: 'POST', body: { note: 'first' } });
    now += 60_000;
    const again = await f.call('/api/v1/alerts/x-1/ack', {
      method: 'POST',
      key: 'ops-xiji',
      body: { note: 'second' },
    });
    expect(again.status).toBe(200);
    expect(await json(again)).toMatchObject({
      acknowledgedBy: 'demo-admin',
      note: 'first',
      acknowledgedAt: new Date(T0 + 3_600_000).toISOString(),
    });
    const history = AlertWithHistory.parse(await json(await f.call('/api/v1/alerts/x-1')));
    expect(history.events.filter((e) => e.type === 'acknowledged')).toHaveLength(1);
    expect(f.published).toHaveLength(1);
  });

  it('appends one event when two acknowledgements race', async () => {
    const both = await Promise.all([
      f.call('/api/v1/alerts/x-1/ack', { method: 'POST', body: { note: 'a' } }),
      f.call('/api/v1/alerts/x-1/ack', { method: 'POST', key: 'ops-xiji', body: { note: 'b' } }),
    ]);
    expect(both.map((r) => r.status)).toEqual([200, 200]);
    const history = AlertWithHistory.parse(await json(await f.call('/api/v1/alerts/x-1')));
    expect(history.events.filter((e) => e.type === 'acknowledged')).toHaveLength(1);
  });

  it('takes no body, an empty body, or a note', async () => {
    expect((await f.call('/api/v1/alerts/x-1/ack', { method: 'POST' })).status).toBe(200);
    const body = await json(await f.call('/api/v1/alerts/l-1/ack', { method: 'POST', raw: '' }));
    expect(body).toMatchObject({ acknowledged: true });
    expect(body.note).toBeUndefined();
  });

  it('refuses a malformed body naming the field', async () => {
    const cases: [{ raw?: string; body?: unknown }, string][] = [
      [{ raw: 'not json' }, 'body'],
      [{ body: { note: 42 } }, 'note'],
      [{ body: { note: 'x'.repeat(2001) } }, 'note'],
      [{ body: { comment: 'hi' } }, 'comment'],
    ];
    for (const [init, param] of cases) {
      const res = await f.call('/api/v1/alerts/x-1/ack', { method: 'POST', ...init });
      expect(res.status, param).toBe(400);
      expect(await json(res)).toMatchObject({ param });
    }
    expect(f.published).toHaveLength(0);
  });

  it('refuses a viewer, and an operator of another county, without changing the alert', async () => {
    const viewer = await f.call('/api/v1/alerts/x-1/ack', { method: 'POST', key: 'planner' });
    expect(viewer.status).toBe(403);
    const other = await f.call('/api/v1/alerts/l-1/ack', { method: 'POST', key: 'ops-xiji' });
    expect(other.status).toBe(403);
    expect(other.headers.get('content-type')).toBe('application/problem+json');
    const l1 = AlertWithHistory.parse(await json(await f.call('/api/v1/alerts/l-1')));
    expect(l1.acknowledged).toBe(false);
    expect(l1.events).toHaveLength(1);
    expect(f.published).toHaveLength(0);
  });

  it('answers 404 for an unknown alert', async () => {
    expect((await f.call('/api/v1/alerts/nope/ack', { method: 'POST' })).status).toBe(404);
  });

  it('acknowledges a cleared alert without reactivating it', async () => {
    const a = makeAlert({ id: 'c-1', raisedAt: at(2) });
    await f.store.appendAlertEvents([raised(a), cleared(a, at(4))]);
    const res = await f.call('/api/v1/alerts/c-1/ack', { method: 'POST' });
    expect(await json(res)).toMatchObject({ active: false, acknowledged: true, clearedAt: at(4) });
  });
});
