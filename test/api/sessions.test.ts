/** People sign in with a password: a cookie session, CSRF-checked changes, sign-out everywhere, and an audit log. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUserStore, type UserStore } from '../../api/users.js';
import { createFixture, json, makeAlert, raised } from './fixture.js';

describe('people signed in with a session cookie', () => {
  let users: UserStore;
  let f: ReturnType<typeof createFixture>;
  const env = { incoming: { socket: { remoteAddress: '192.0.2.9' } } };
  const req = (
    path: string,
    init: { method?: string; cookie?: string; csrf?: string; body?: unknown } = {},
  ) => {
    const headers: Record<string, string> = {};
    if (init.cookie) headers.cookie = init.cookie;
    if (init.csrf) headers['x-csrf-token'] = init.csrf;
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    return Promise.resolve(
      f.app.request(
        path,
        {
          method: init.method ?? 'GET',
          headers,
          body: init.body === undefined ? undefined : JSON.stringify(init.body),
        },
        env,
      ),
    );
  };
  const signIn = async (name: string, password: string) => {
    const res = await req('http://127.0.0.1/ui/sign-in', { method: 'POST', body: { name, password } });
    const set = res.headers.get('set-cookie') ?? '';
    return { res, set, cookie: set.split(';')[0]! };
  };

  beforeAll(async () => {
    users = createUserStore(join(mkdtempSync(join(tmpdir(), 'wl-users-')), 'users.db'));
    await users.addUser({ name: 'ma.li', password: 'correct horse', role: 'operator', counties: ['xiji'] });
    await users.addUser({ name: 'boss', password: 'admin password', role: 'admin' });
    f = createFixture({ users });
    await f.store.appendAlertEvents([
      raised(makeAlert({ id: 'a-x', raisedAt: new Date().toISOString() })),
      raised(makeAlert({ id: 'a-l', deviceId: 'd-0003', raisedAt: new Date().toISOString() })),
    ]);
  });
  afterAll(() => {
    f.close();
    users.close();
  });

  it('sets an HttpOnly, SameSite=Strict, Secure session cookie on a right password and refuses a wrong one', async () => {
    const bad = await signIn('ma.li', 'wrong password');
    expect(bad.res.status).toBe(401);
    expect(bad.set).toBe('');
    const unknown = await signIn('nobody', 'correct horse');
    expect(unknown.res.status).toBe(401);
    const ok = await signIn('ma.li', 'correct horse');
    expect(ok.res.status).toBe(200);
    expect(ok.set).toMatch(/^wl_session=[\w-]{40,};/);
    expect(ok.set).toMatch(/HttpOnly/i);
    expect(ok.set).toMatch(/SameSite=Strict/i);
    expect(ok.set).toMatch(/Secure/i);
    expect(ok.set).toMatch(/Max-Age=\d{6,}/);
  });

  it('refuses a sign-in that is not JSON, so another site cannot post a form to it', async () => {
    const res = await Promise.resolve(
      f.app.request(
        '/ui/sign-in',
        {
          method: 'POST',
          headers: { 'content-type': 'text/plain' },
          body: '{"name":"ma.li","password":"correct horse"}',
        },
        env,
      ),
    );
    expect(res.status).toBe(400);
  });

  it("answers with the person's role and counties and acknowledges in their name only with the CSRF token", async () => {
    const { cookie } = await signIn('ma.li', 'correct horse');
    const session = await json<{ keyId: string; role: string; csrf: string; person: boolean }>(
      await req('/ui/session', { cookie }),
    );
    expect(session).toMatchObject({ keyId: 'ma.li', role: 'operator', person: true });
    expect(session.csrf.length).toBeGreaterThan(20);
    // Scope holds: another county's alert is out of reach.
    expect((await req('/api/v1/alerts/a-l', { cookie })).status).toBe(403);
    const noToken = await req('/api/v1/alerts/a-x/ack', { method: 'POST', cookie, body: { note: 'x' } });
    expect(noToken.status).toBe(403);
    const wrongToken = await req('/api/v1/alerts/a-x/ack', {
      method: 'POST',
      cookie,
      csrf: 'nope',
      body: {},
    });
    expect(wrongToken.status).toBe(403);
    const ack = await req('/api/v1/alerts/a-x/ack', {
      method: 'POST',
      cookie,
      csrf: session.csrf,
      body: { note: 'crew sent' },
    });
    expect(ack.status).toBe(200);
    expect(await json(ack)).toMatchObject({ acknowledged: true, acknowledgedBy: 'ma.li', note: 'crew sent' });
  });

  it('ends every session of the person on sign-out everywhere, and only theirs', async () => {
    const phone = await signIn('ma.li', 'correct horse');
    const desk = await signIn('ma.li', 'correct horse');
    const admin = await signIn('boss', 'admin password');
    const csrf = (await json<{ csrf: string }>(await req('/ui/session', { cookie: phone.cookie }))).csrf;
    expect((await req('/ui/sign-out-everywhere', { method: 'POST', cookie: phone.cookie })).status).toBe(403);
    const out = await req('/ui/sign-out-everywhere', { method: 'POST', cookie: phone.cookie, csrf });
    expect(out.status).toBe(200);
    expect((await json<{ ended: number }>(out)).ended).toBeGreaterThanOrEqual(2);
    expect((await req('/ui/session', { cookie: desk.cookie })).status).toBe(401);
    expect((await req('/ui/session', { cookie: phone.cookie })).status).toBe(401);
    expect((await req('/ui/session', { cookie: admin.cookie })).status).toBe(200);
  });

  it('lists who signed in, failed and acknowledged in the audit log, for admins only', async () => {
    const admin = await signIn('boss', 'admin password');
    const res = await req('/api/v1/audit?limit=50', { cookie: admin.cookie });
    expect(res.status).toBe(200);
    const { items } = await json<{ items: { actor: string; action: string; via: string; target: string }[] }>(
      res,
    );
    expect(items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          actor: 'ma.li',
          action: 'POST /alerts/:id/ack',
          via: 'session',
          target: '/api/v1/alerts/a-x/ack',
        }),
        expect.objectContaining({ actor: 'ma.li', action: 'sign-out everywhere' }),
        expect.objectContaining({ actor: 'ma.li', action: 'sign-in failed' }),
      ]),
    );
    expect((await f.call('/api/v1/audit', { key: 'ops-xiji' })).status).toBe(403);
    expect((await f.call('/api/v1/audit?limit=0')).status).toBe(400);
    // A machine's change is audited under its key id.
    const keyAck = await f.call('/api/v1/alerts/a-l/ack', { method: 'POST', body: {} });
    expect(keyAck.status).toBe(200);
    const after = await json<{ items: { actor: string; via: string }[] }>(
      await f.call('/api/v1/audit?limit=1'),
    );
    expect(after.items[0]).toMatchObject({ actor: 'demo-admin', via: 'key' });
  });
});
