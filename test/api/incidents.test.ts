/** GET /api/v1/incidents and /incidents/{id}: alerts grouped by root cause, filtered, scoped and documented. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ApiFixture, cleared, createFixture, json, makeAlert, raised } from './fixture.js';

const T = Date.parse('2026-11-20T08:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

describe('incidents API', () => {
  let f: ApiFixture;
  beforeEach(async () => {
    f = createFixture();
    const net = [
      makeAlert({
        id: 'n-pipe',
        deviceId: 'd-0002',
        raisedAt: iso(T),
        ruleId: 'pressure-drop',
        kind: 'rate',
        incidentId: 'i.n-pipe',
        message: 'pressure drop at pipe',
      }),
      makeAlert({
        id: 'n-plant',
        deviceId: 'd-0001',
        raisedAt: iso(T + 60_000),
        incidentId: 'i.n-pipe',
        message: 'turbidity at the works',
      }),
    ];
    const comm = [
      makeAlert({
        id: 's-x',
        deviceId: 'd-0002',
        raisedAt: iso(T + 120_000),
        ruleId: 'stale',
        kind: 'stale',
        severity: 'warning',
        incidentId: 'c.region.1',
      }),
      makeAlert({
        id: 's-l',
        deviceId: 'd-0003',
        raisedAt: iso(T + 180_000),
        ruleId: 'stale',
        kind: 'stale',
        severity: 'warning',
        incidentId: 'c.region.1',
      }),
    ];
    const longde = makeAlert({
      id: 'l-1',
      deviceId: 'd-0003',
      raisedAt: iso(T + 240_000),
      incidentId: 'i.l-1',
    });
    await f.store.appendAlertEvents([...net, ...comm, longde].map(raised));
    await f.store.appendAlertEvents([cleared(longde, iso(T + 300_000))]);
  });
  afterEach(() => f.close());

  it('lists one row per incident with its root cause, newest opened first', async () => {
    const res = await f.call('/api/v1/incidents');
    expect(res.status).toBe(200);
    const body = await json<{ items: Record<string, unknown>[] }>(res);
    expect(body.items.map((i) => i.id)).toEqual(['i.l-1', 'c.region.1', 'i.n-pipe']);
    expect(body.items[2]).toMatchObject({
      kind: 'network',
      rootSiteId: 'xiji-s1-plant',
      schemeId: 'xiji-s1',
      countyIds: ['xiji'],
      severity: 'critical',
      active: true,
      alertCount: 2,
      deviceCount: 2,
      openedAt: iso(T),
      message: 'turbidity at the works',
    });
    expect(body.items[1]).toMatchObject({
      kind: 'communication',
      scope: 'region',
      countyIds: ['longde', 'xiji'],
      severity: 'warning',
    });
    expect(body.items[0]).toMatchObject({ kind: 'device', active: false, closedAt: iso(T + 300_000) });
  });

  it('filters like the alerts list and pages with a cursor', async () => {
    const ids = async (q: string) =>
      (await json<{ items: { id: string }[] }>(await f.call(`/api/v1/incidents?${q}`))).items.map(
        (i) => i.id,
      );
    expect(await ids('active=true')).toEqual(['c.region.1', 'i.n-pipe']);
    expect(await ids('severity=warning')).toEqual(['c.region.1']);
    expect(await ids('county=longde')).toEqual(['i.l-1', 'c.region.1']);
    expect(await ids(`since=${encodeURIComponent(iso(T + 100_000))}`)).toEqual(['i.l-1', 'c.region.1']);
    const first = await json<{ items: { id: string }[]; nextCursor: string }>(
      await f.call('/api/v1/incidents?limit=2'),
    );
    expect(first.items.map((i) => i.id)).toEqual(['i.l-1', 'c.region.1']);
    expect(await ids(`limit=2&cursor=${first.nextCursor}`)).toEqual(['i.n-pipe']);
  });

  it('answers a bad parameter with a problem naming it', async () => {
    for (const [q, param] of [
      ['county=atlantis', 'county'],
      ['limit=0', 'limit'],
      ['active=maybe', 'active'],
      ['cursor=garbage', 'cursor'],
      ['colour=red', 'colour'],
    ]) {
      const res = await f.call(`/api/v1/incidents?${q}`);
      expect(res.status, q).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect((await json(res)).param, q).toBe(param);
    }
  });

  it('shows an operator only its counties, and their part of a region-wide incident', async () => {
    const body = await json<{ items: { id: string; alertCount: number }[] }>(
      await f.call('/api/v1/incidents', { key: 'ops-xiji' }),
    );
    expect(body.items.map((i) => [i.id, i.alertCount])).toEqual([
      ['c.region.1', 1],
      ['i.n-pipe', 2],
    ]);
    expect((await f.call('/api/v1/incidents?county=longde', { key: 'ops-xiji' })).status).toBe(403);
    expect((await f.call('/api/v1/incidents/i.l-1', { key: 'ops-xiji' })).status).toBe(403);
    const one = await json<{ alerts: { id: string }[] }>(
      await f.call('/api/v1/incidents/c.region.1', { key: 'ops-xiji' }),
    );
    expect(one.alerts.map((a) => a.id)).toEqual(['s-x']);
  });

  it('gives one incident with its alerts, oldest first, and 404 for an unknown one', async () => {
    const res = await f.call('/api/v1/incidents/i.n-pipe');
    expect(res.status).toBe(200);
    const body = await json<{ rootSiteId: string; alerts: { id: string; incidentId: string }[] }>(res);
    expect(body.rootSiteId).toBe('xiji-s1-plant');
    expect(body.alerts.map((a) => [a.id, a.incidentId])).toEqual([
      ['n-pipe', 'i.n-pipe'],
      ['n-plant', 'i.n-pipe'],
    ]);
    expect((await f.call('/api/v1/incidents/i.nothing')).status).toBe(404);
    expect((await f.call('/api/v1/incidents', { key: null })).status).toBe(401);
  });

  it('is documented in the OpenAPI description', async () => {
    const doc = await json<{ paths: Record<string, Record<string, { parameters?: { name: string }[] }>> }>(
      await f.call('/openapi.json', { key: null }),
    );
    expect(doc.paths['/api/v1/incidents']?.get?.parameters?.map((p) => p.name).sort()).toEqual([
      'active',
      'county',
      'cursor',
      'limit',
      'severity',
      'since',
    ]);
    expect(doc.paths['/api/v1/incidents/{id}']?.get).toBeDefined();
  });
});
