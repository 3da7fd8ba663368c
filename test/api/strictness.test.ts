/** Cheap strictness on every route: repeated query parameters are refused, and nothing echoes a huge input. */
import { afterEach, describe, expect, it } from 'vitest';
import { type ApiFixture, createFixture, json, makeAlert, raised } from './fixture.js';

const ROUTES: [method: string, path: string][] = [
  ['GET', '/api/v1/alerts'],
  ['GET', '/api/v1/alerts/some-id'],
  ['POST', '/api/v1/alerts/some-id/ack'],
  ['POST', '/api/v1/alerts/some-id/resolve'],
  ['GET', '/api/v1/alerts/stream'],
  ['GET', '/api/v1/coverage'],
  ['GET', '/api/v1/devices'],
  ['GET', '/api/v1/devices/d-0001/readings'],
  ['GET', '/ui/session'],
  ['GET', '/ui/latest'],
  ['GET', '/ui/places'],
  ['GET', '/healthz'],
  ['GET', '/readyz'],
  ['GET', '/metrics'],
  ['GET', '/openapi.json'],
  ['GET', '/docs'],
  ['GET', '/alerts'],
];

describe('API strictness', () => {
  let f: ApiFixture;
  afterEach(() => f.close());

  it('answers a query parameter given twice with 400 naming it, on every route', async () => {
    f = createFixture();
    for (const [method, path] of ROUTES) {
      for (const param of ['limit', 'county', 'metric']) {
        const res = await f.call(`${path}?${param}=1&${param}=2`, { method });
        expect(res.status, `${method} ${path} ${param}`).toBe(400);
        expect(res.headers.get('content-type')).toBe('application/problem+json');
        const body = await json(res);
        expect(body, `${method} ${path}`).toMatchObject({ status: 400, param });
        expect(String(body.detail)).toMatch(/more than once/);
      }
    }
  });

  it('names a repeated parameter even when other parameters come between', async () => {
    f = createFixture();
    const res = await f.call('/api/v1/alerts?active=true&limit=5&severity=critical&limit=5');
    expect(await json(res)).toMatchObject({ status: 400, param: 'limit' });
  });

  it('answers an unknown alert, device or route without echoing a 10 KB id', async () => {
    f = createFixture();
    const huge = `x${'y'.repeat(10_000)}`;
    for (const [method, path] of [
      ['GET', `/api/v1/alerts/${huge}`],
      ['POST', `/api/v1/alerts/${huge}/ack`],
      ['GET', `/api/v1/devices/${huge}/readings?metric=chlorine`],
      ['GET', `/api/v1/${huge}`],
      ['GET', `/${huge}`],
    ] as const) {
      const res = await f.call(path, { method });
      expect(res.status, path.slice(0, 30)).toBe(404);
      const text = await res.text();
      expect(text.length, path.slice(0, 30)).toBeLessThan(1000);
      const body = JSON.parse(text) as { detail: string };
      // A short prefix stays, so the answer still says which id was meant.
      expect(body.detail).toContain('xyyyyyyyyy');
      expect(body.detail).toMatch(/…"$/);
    }
  });

  it('does not echo a 10 KB unknown parameter name or county', async () => {
    f = createFixture();
    const huge = 'z'.repeat(10_000);
    for (const path of [
      `/api/v1/alerts?${huge}=1`,
      `/ui/places?county=${huge}`,
      `/api/v1/alerts?${huge}=1&${huge}=2`,
    ]) {
      const res = await f.call(path);
      expect(res.status).toBe(400);
      expect((await res.text()).length, path.slice(0, 30)).toBeLessThan(1000);
    }
  });

  it('answers a request body over 64 KiB with 413 problem+json, and changes nothing', async () => {
    f = createFixture();
    await f.store.appendAlertEvents([raised(makeAlert({ id: 'x-1', raisedAt: '2027-03-01T08:00:00.000Z' }))]);
    for (const action of ['ack', 'resolve']) {
      const res = await f.call(`/api/v1/alerts/x-1/${action}`, {
        method: 'POST',
        body: { note: 'n'.repeat(70_000) },
      });
      expect(res.status, action).toBe(413);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(await json(res)).toMatchObject({ status: 413, title: 'Content Too Large', param: 'body' });
    }
    expect((await f.store.getAlert('x-1'))?.alert).toMatchObject({ active: true, acknowledged: false });
    // A body just under the limit is read and judged on its merits (a note over 2,000 characters: 400).
    const under = await f.call('/api/v1/alerts/x-1/ack', {
      method: 'POST',
      body: { note: 'n'.repeat(60_000) },
    });
    expect(under.status).toBe(400);
  });
});
