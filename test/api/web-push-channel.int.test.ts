/** The Web Push channel against a local HTTPS server standing in for a push service: VAPID-signed, encrypted, scoped. */
import { execFileSync } from 'node:child_process';
import { createECDH, createPublicKey, randomBytes, verify } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { Agent, createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ece from 'http_ece';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPushSubscriptions, type PushSubscriptions } from '../../api/push-subscriptions.js';
import { createWebPushChannel, generateVapidKeys } from '../../api/web-push-channel.js';
import type { AlertEvent } from '../../core/alert.js';
import { waitFor } from '../helpers/wait-for.js';
import { createFixture, makeAlert, raised } from './fixture.js';

interface Received {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

const b64u = (b: Buffer) => b.toString('base64url');

/** A browser's side of a subscription: its P-256 key pair and auth secret (RFC 8291). */
function phone(endpoint: string) {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  const auth = randomBytes(16);
  return {
    ecdh,
    auth,
    subscription: { endpoint, keys: { p256dh: b64u(ecdh.getPublicKey()), auth: b64u(auth) } },
  };
}

/** Checks an RFC 8292 `vapid t=<JWT>, k=<key>` header: ES256 signature by `k`, audience and expiry. */
function checkVapid(header: string, origin: string, publicKey: string): Record<string, unknown> {
  const m = /^vapid t=([\w-]+\.[\w-]+\.[\w-]+), k=([\w-]+)$/.exec(header);
  if (!m) throw new Error(`not a vapid header: ${header}`);
  const [head, claims, sig] = m[1]!.split('.') as [string, string, string];
  expect(m[2]).toBe(publicKey);
  expect(JSON.parse(Buffer.from(head, 'base64url').toString())).toMatchObject({ alg: 'ES256', typ: 'JWT' });
  const raw = Buffer.from(m[2]!, 'base64url');
  const key = createPublicKey({
    key: { kty: 'EC', crv: 'P-256', x: b64u(raw.subarray(1, 33)), y: b64u(raw.subarray(33, 65)) },
    format: 'jwk',
  });
  const ok = verify(
    'sha256',
    Buffer.from(`${head}.${claims}`),
    { key, dsaEncoding: 'ieee-p1363' },
    Buffer.from(sig, 'base64url'),
  );
  if (!ok) throw new Error('VAPID signature does not verify');
  const c = JSON.parse(Buffer.from(claims, 'base64url').toString()) as {
    aud: string;
    exp: number;
    sub: string;
  };
  expect(c.aud).toBe(origin);
  // RFC 8292 §2: no more than 24 hours ahead.
  expect(c.exp * 1000).toBeGreaterThan(Date.now());
  expect(c.exp * 1000).toBeLessThanOrEqual(Date.now() + 24 * 3600_000);
  return c;
}

describe('the Web Push channel', () => {
  let server: Server;
  let origin: string;
  let agent: Agent;
  let subs: PushSubscriptions;
  const received: Received[] = [];
  const vapid = generateVapidKeys('mailto:ops@example.org');

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wl-push-'));
    execFileSync(
      'openssl',
      [
        ...['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1'],
        ...['-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'],
        ...['-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')],
      ],
      { stdio: 'ignore' },
    );
    const cert = readFileSync(join(dir, 'cert.pem'));
    agent = new Agent({ ca: cert });
    server = createServer({ cert, key: readFileSync(join(dir, 'key.pem')) }, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
        // A push service answers 201; a withdrawn subscription 410 (RFC 8030 §7.3).
        res.writeHead(req.url?.startsWith('/gone') ? 410 : req.url?.startsWith('/broken') ? 500 : 201).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    subs = createPushSubscriptions(join(dir, 'push.db'));
  });
  afterAll(async () => {
    subs?.close();
    await new Promise((r) => server?.close(r));
  });

  it('sends a VAPID-signed, aes128gcm-encrypted notification that only the subscribed phone can read', async () => {
    const xiji = phone(`${origin}/push/xiji-phone`);
    const longde = phone(`${origin}/push/longde-phone`);
    subs.save({ subscription: xiji.subscription, owner: 'ma.li', counties: ['xiji'] }, Date.now());
    subs.save({ subscription: longde.subscription, owner: 'li.na', counties: ['longde'] }, Date.now());
    const channel = createWebPushChannel({ vapid, subscriptions: subs, agent });
    const alert = makeAlert({ id: 'a-push-1', raisedAt: new Date().toISOString() });
    const event: AlertEvent = { type: 'raised', at: alert.raisedAt, alert };

    received.length = 0;
    const result = await channel.send(event);
    expect(result).toEqual({ sent: 1, failed: 0, removed: 0 });
    expect(received).toHaveLength(1);
    const r = received[0]!;
    expect(r.path).toBe('/push/xiji-phone');
    checkVapid(String(r.headers.authorization), origin, vapid.publicKey);
    expect(r.headers['content-encoding']).toBe('aes128gcm');
    expect(r.headers.ttl).toBe(String(24 * 3600));
    expect(r.headers.urgency).toBe('high');
    const plain = ece.decrypt(r.body, {
      version: 'aes128gcm',
      privateKey: xiji.ecdh,
      authSecret: b64u(xiji.auth),
    });
    expect(JSON.parse(plain.toString())).toMatchObject({
      alertId: 'a-push-1',
      type: 'raised',
      severity: 'critical',
      countyId: 'xiji',
      url: '/alerts#alert=a-push-1',
    });
    // Another phone's keys cannot open it.
    expect(() =>
      ece.decrypt(r.body, { version: 'aes128gcm', privateKey: longde.ecdh, authSecret: b64u(longde.auth) }),
    ).toThrow();
  });

  it('drops a subscription the push service says is gone, and counts a failure without stopping the rest', async () => {
    const gone = phone(`${origin}/gone/old-phone`);
    const broken = phone(`${origin}/broken/phone`);
    subs.save({ subscription: gone.subscription, owner: 'ma.li', counties: null }, Date.now());
    subs.save({ subscription: broken.subscription, owner: 'ma.li', counties: null }, Date.now());
    const channel = createWebPushChannel({ vapid, subscriptions: subs, agent });
    const alert = makeAlert({ id: 'a-push-2', raisedAt: new Date().toISOString() });
    const result = await channel.send({ type: 'raised', at: alert.raisedAt, alert });
    expect(result).toEqual({ sent: 1, failed: 1, removed: 1 });
    expect(subs.forCounty('xiji').map((t) => t.subscription.endpoint)).not.toContain(
      gone.subscription.endpoint,
    );
    expect(subs.forCounty('xiji').map((t) => t.subscription.endpoint)).toContain(
      broken.subscription.endpoint,
    );
  });

  it('subscribes a board reader for their counties and pushes a new critical alert from the feed', async () => {
    const channel = createWebPushChannel({ vapid, subscriptions: subs, agent });
    const f = createFixture({
      push: { publicKey: vapid.publicKey, subscriptions: subs, channel },
      options: { streamPollMs: 50 },
    });
    try {
      const key = await f.call('/ui/push/key', { key: 'ops-xiji' });
      expect(await key.json()).toEqual({ publicKey: vapid.publicKey });
      const reader = phone(`${origin}/push/board-reader`);
      const bad = await f.call('/ui/push/subscribe', {
        key: 'ops-xiji',
        method: 'POST',
        body: {
          endpoint: reader.subscription.endpoint,
          keys: { p256dh: 'short', auth: reader.subscription.keys.auth },
        },
      });
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { detail: string }).detail).toContain('keys.p256dh');
      const ok = await f.call('/ui/push/subscribe', {
        key: 'ops-xiji',
        method: 'POST',
        body: reader.subscription,
      });
      expect(ok.status).toBe(201);
      expect(await ok.json()).toMatchObject({ counties: ['xiji'] });
      expect(
        (await f.call('/ui/push/subscribe', { key: null, method: 'POST', body: reader.subscription })).status,
      ).toBe(401);

      received.length = 0;
      const warning = makeAlert({ id: 'a-push-w', severity: 'warning', raisedAt: new Date().toISOString() });
      const critical = makeAlert({ id: 'a-push-c', raisedAt: new Date().toISOString() });
      await f.store.appendAlertEvents([raised(warning), raised(critical)]);
      await waitFor(
        async () => received.some((r) => r.path === '/push/board-reader'),
        'the push to the board reader',
        10_000,
      );
      const mine = received.filter((r) => r.path === '/push/board-reader');
      expect(mine).toHaveLength(1);
      const plain = ece.decrypt(mine[0]!.body, {
        version: 'aes128gcm',
        privateKey: reader.ecdh,
        authSecret: b64u(reader.auth),
      });
      expect(JSON.parse(plain.toString())).toMatchObject({ alertId: 'a-push-c' });

      const sw = await f.app.request('/sw.js');
      expect(sw.headers.get('content-type')).toMatch(/javascript/);
      expect(await sw.text()).toContain('showNotification');
    } finally {
      f.close();
    }
  }, 30_000);
});
