/** The maintenance routes and the `suppressed` alert filter through real HTTP (app.request) over real SQLite. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDemoInbox } from '../../notify/demo-inbox.js';
import { createMaintenanceStore } from '../../notify/maintenance-store.js';
import { openOutbox } from '../../notify/outbox.js';
import { type ApiFixture, createFixture, json, makeAlert, raised } from '../api/fixture.js';

const NOW = Date.parse('2026-12-07T14:00:00Z');
const H = 3_600_000;
let fx: ApiFixture;
let dir: string;
let close: () => void;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'wl-maint-'));
  const outbox = openOutbox(join(dir, 'notify.db'));
  close = () => outbox.close();
  fx = createFixture({
    maintenance: createMaintenanceStore(outbox.db),
    demoInbox: createDemoInbox(),
    clock: () => NOW,
  });
});
afterEach(() => {
  fx.close();
  close();
  rmSync(dir, { recursive: true, force: true });
});

const post = (body: unknown, key = 'ops-xiji') =>
  fx.call('/api/v1/maintenance', { method: 'POST', body, key });
const iso = (t: number) => new Date(t).toISOString();

describe('maintenance routes', () => {
  it('lets an operator schedule a window in its county, list it and delete it', async () => {
    const res = await post({
      scope: 'site',
      target: 'xiji-s1-plant',
      endsAt: iso(NOW + 2 * H),
      reason: '更换浊度仪',
    });
    expect(res.status).toBe(201);
    const win = await json<{ id: string; countyId: string; startsAt: string; createdBy: string }>(res);
    expect(win).toMatchObject({ countyId: 'xiji', startsAt: iso(NOW), createdBy: 'ops-xiji' });
    const list = await json<{ items: { id: string }[] }>(
      await fx.call('/api/v1/maintenance', { key: 'ops-xiji' }),
    );
    expect(list.items.map((w) => w.id)).toEqual([win.id]);
    expect(
      (await fx.call(`/api/v1/maintenance/${win.id}`, { method: 'DELETE', key: 'ops-xiji' })).status,
    ).toBe(204);
    expect((await json<{ items: unknown[] }>(await fx.call('/api/v1/maintenance'))).items).toEqual([]);
    expect((await fx.call(`/api/v1/maintenance/${win.id}`, { method: 'DELETE' })).status).toBe(404);
  });

  it('refuses another county with 403 and a viewer with 403', async () => {
    expect((await post({ scope: 'scheme', target: 'longde-w1', endsAt: iso(NOW + H) })).status).toBe(403);
    expect((await post({ scope: 'device', target: 'd-0001', endsAt: iso(NOW + H) }, 'planner')).status).toBe(
      403,
    );
    const admin = await post({ scope: 'device', target: 'd-0003', endsAt: iso(NOW + H) }, 'demo-admin');
    expect(admin.status).toBe(201);
    const { id } = await json<{ id: string }>(admin);
    // An operator of xiji neither sees nor ends a longde window.
    expect(
      (await json<{ items: unknown[] }>(await fx.call('/api/v1/maintenance', { key: 'ops-xiji' }))).items,
    ).toEqual([]);
    expect((await fx.call(`/api/v1/maintenance/${id}`, { method: 'DELETE', key: 'ops-xiji' })).status).toBe(
      403,
    );
  });

  it('answers bad input with a problem naming the parameter', async () => {
    const cases: [unknown, string][] = [
      [{ scope: 'site', target: 'no-such-site', endsAt: iso(NOW + H) }, 'target'],
      [{ scope: 'village', target: 'xiji-s1-plant', endsAt: iso(NOW + H) }, 'scope'],
      [{ scope: 'site', target: 'xiji-s1-plant', endsAt: 'tomorrow' }, 'endsAt'],
      [{ scope: 'site', target: 'xiji-s1-plant', startsAt: iso(NOW + H), endsAt: iso(NOW) }, 'endsAt'],
      [{ scope: 'site', target: 'xiji-s1-plant', endsAt: iso(NOW + 40 * 24 * H) }, 'endsAt'],
      [{ scope: 'site', target: 'xiji-s1-plant', endsAt: iso(NOW + H), extra: 1 }, 'extra'],
    ];
    for (const [body, param] of cases) {
      const res = await post(body);
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(JSON.stringify(await res.json())).toContain(param);
    }
    const q = await fx.call('/api/v1/maintenance?all=maybe');
    expect(q.status).toBe(400);
  });
});

describe('suppressed filter on alerts', () => {
  it('lists only suppressed alerts with suppressed=true and hides them with suppressed=false', async () => {
    const quiet = makeAlert({ raisedAt: iso(NOW - H), suppressed: true });
    const loud = makeAlert({ raisedAt: iso(NOW - 2 * H) });
    await fx.store.appendAlertEvents([raised(quiet), raised(loud)]);
    const only = await json<{ items: { id: string }[] }>(await fx.call('/api/v1/alerts?suppressed=true'));
    expect(only.items.map((a) => a.id)).toEqual([quiet.id]);
    const none = await json<{ items: { id: string }[] }>(await fx.call('/api/v1/alerts?suppressed=false'));
    expect(none.items.map((a) => a.id)).toEqual([loud.id]);
    expect((await fx.call('/api/v1/alerts?suppressed=yes')).status).toBe(400);
  });
});

describe('documentation and the demo inbox', () => {
  it('documents the maintenance routes, the suppressed filter, the webhook body and the notify section', async () => {
    const doc = await json<{
      paths: Record<string, Record<string, { parameters?: { name: string }[] }>>;
      components: { schemas: Record<string, unknown> };
    }>(await fx.call('/openapi.json', { key: null }));
    expect(Object.keys(doc.paths['/api/v1/maintenance'] ?? {}).sort()).toEqual(['get', 'post']);
    expect(Object.keys(doc.paths['/api/v1/maintenance/{id}'] ?? {})).toEqual(['delete']);
    expect(doc.paths['/demo/inbox/hook']?.post).toBeDefined();
    expect(doc.paths['/api/v1/alerts']?.get?.parameters?.map((p) => p.name)).toContain('suppressed');
    for (const id of ['MaintenanceWindow', 'WebhookNotification', 'RegistryNotifySection'])
      expect(doc.components.schemas[id]).toBeDefined();
  });

  it('keeps a webhook message once per idempotency key and shows it only with a key', async () => {
    const body = {
      id: 'k-1',
      step: 'raised',
      level: 'county',
      title: '【严重】西吉县',
      text: '西吉县 供水告警',
      link: 'http://x/alerts#alert=a',
    };
    const post = () =>
      fx.app.request('/demo/inbox/hook', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': 'k-1' },
        body: JSON.stringify(body),
      });
    expect((await post()).status).toBe(200);
    expect((await post()).status).toBe(200);
    expect((await fx.call('/demo/inbox/messages', { key: null })).status).toBe(401);
    const got = await json<{ items: { id: string; text: string }[] }>(await fx.call('/demo/inbox/messages'));
    expect(got.items).toMatchObject([{ id: 'k-1', text: '西吉县 供水告警' }]);
    const bad = await fx.app.request('/demo/inbox/hook', { method: 'POST', body: 'not json' });
    expect(bad.status).toBe(400);
  });
});
