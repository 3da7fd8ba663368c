/**
 * Hostile HTTP against a running platform: every bad request is refused with the right status and a
 * short problem naming what was wrong, a flood of wrong keys slows only wrong keys, and the API stays up.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { apiKey, smallRegistry } from '../helpers/small-registry.js';
import { httpCases } from './hostile/http-cases.js';

describe('hostile HTTP input', () => {
  let p: TestPlatform;
  const cases = httpCases();

  beforeAll(async () => {
    p = await startTestPlatform(smallRegistry(), { sim: false });
  }, 30_000);
  afterAll(async () => {
    await p?.stop();
  });

  const send = (init: {
    path: string;
    method?: string;
    key?: string | null;
    authorization?: string;
    headers?: Record<string, string>;
    body?: string;
  }) => {
    const headers: Record<string, string> = { ...init.headers };
    const key = init.key === undefined ? 'demo-admin' : init.key;
    if (key !== null) headers.authorization = `Bearer ${apiKey(key)}`;
    if (init.authorization) headers.authorization = init.authorization;
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    return fetch(`${p.httpUrl}${init.path}`, { method: init.method ?? 'GET', headers, body: init.body });
  };

  it(`refuses ${cases.length} bad requests with the right status and a short problem naming the parameter`, async () => {
    expect(cases.length).toBeGreaterThanOrEqual(130);
    const wrong: string[] = [];
    for (const c of cases) {
      const res = await send(c);
      const text = await res.text();
      const problem = (() => {
        try {
          return JSON.parse(text) as { status?: number; param?: string; detail?: string };
        } catch {
          return null;
        }
      })();
      const ok =
        res.status === c.status &&
        res.headers.get('content-type') === 'application/problem+json' &&
        problem?.status === c.status &&
        (c.param === undefined || problem.param === c.param) &&
        // Nothing sent in is echoed back at length.
        text.length < 2_000;
      if (!ok) wrong.push(`${c.name}: ${res.status} ${text.slice(0, 160)}`);
    }
    expect(wrong).toEqual([]);
  });

  it('answers wrong keys 401 and then 429 from one address, while valid keys from it keep working', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 15; i++) {
      const res = await send({ path: '/api/v1/alerts', key: null, authorization: `Bearer guess-${i}` });
      statuses.push(res.status);
      await res.body?.cancel();
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses.slice(10)).toEqual(Array(5).fill(429));
    for (const key of ['demo-admin', 'planner', 'ops-xiji']) {
      expect((await send({ path: '/api/v1/devices', key })).status, key).toBe(200);
      // The pages share the limiter: the same address is refused there too, its valid keys are not.
      expect((await send({ path: '/ui/session', key })).status, key).toBe(200);
    }
    const page = await send({ path: '/ui/session', key: null, authorization: 'Bearer guess-ui' });
    expect(page.status).toBe(429);
  });

  it('is still up and answering after all of it', async () => {
    expect((await fetch(`${p.httpUrl}/healthz`)).status).toBe(200);
    const res = await send({ path: '/api/v1/devices' });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { items: unknown[] };
    expect(body.items).toHaveLength(3);
  });
});
