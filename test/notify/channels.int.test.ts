/** Each channel against a real local server that checks the request format and signature its documentation gives. */
import { createHmac } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../core/alert.js';
import { buildMessage } from '../../core/notify/message.js';
import type { Channel } from '../../core/notify/schema.js';
import { createSender } from '../../notify/channels/index.js';
import { ChannelError, type SendRequest } from '../../notify/channels/types.js';
import { type Receiver, startReceiver } from './receiver.js';

const NOW = Date.parse('2026-12-07T14:03:00Z');
const alert: Alert = {
  id: 'a-1',
  ruleId: 'turbidity-max',
  kind: 'threshold',
  metric: 'turbidity',
  deviceId: 'd-0001',
  siteId: 'xiji-s1-plant',
  schemeId: 'xiji-s1',
  countyId: 'xiji',
  severity: 'critical',
  active: true,
  acknowledged: false,
  raisedAt: new Date(NOW).toISOString(),
  value: 1.8,
  limit: 1,
  message: 'turbidity 1.8 NTU above 1 NTU at plant xiji-s1-plant',
};
const message = buildMessage({
  alert,
  place: { countyName: '西吉县', schemeName: '西吉城乡供水工程', siteName: '一号水厂', siteKind: 'plant' },
  kind: 'raised',
  n: 0,
  timeZone: 'Asia/Shanghai',
  boardUrl: 'http://board.test',
  at: NOW,
});
const request = (recipient = 'ch'): SendRequest => ({
  message,
  recipient,
  idempotencyKey: 'a-1:raised|ch|ch',
  alert,
  step: 'raised',
  level: 'county',
});

let rx: Receiver;
beforeAll(async () => {
  rx = await startReceiver();
});
afterAll(() => rx.close());

const sender = (c: Channel, env: Record<string, string> = {}) =>
  createSender(c, { env, fetch, baseUrl: rx.url, clock: () => NOW, timeoutMs: 5_000 });
const last = () => rx.requests[rx.requests.length - 1]!;

describe('generic webhook', () => {
  it('posts the message as JSON with an idempotency key and an HMAC-SHA256 signature over timestamp and body', async () => {
    await sender(
      { id: 'hook', type: 'webhook', url: '/hook', secretEnv: 'HOOK_SECRET' },
      { HOOK_SECRET: 's3cret' },
    )(request());
    const r = last();
    expect(r.url.pathname).toBe('/hook');
    const ts = r.headers['x-waterline-timestamp'];
    expect(ts).toBe(String(Math.floor(NOW / 1000)));
    const expected = createHmac('sha256', 's3cret').update(`${ts}.${r.body}`).digest('hex');
    expect(r.headers['x-waterline-signature']).toBe(`sha256=${expected}`);
    expect(r.headers['idempotency-key']).toBe('a-1:raised|ch|ch');
    const body = JSON.parse(r.body);
    expect(body).toMatchObject({
      id: 'a-1:raised|ch|ch',
      step: 'raised',
      level: 'county',
      link: 'http://board.test/alerts#alert=a-1',
    });
    expect(body.text).toContain('西吉县');
    expect(r.body).not.toContain('s3cret');
  });

  it('fails with a ChannelError when the receiver answers 500, and names no secret', async () => {
    rx.answer = () => ({ status: 500, body: 'down' });
    const send = sender(
      { id: 'hook', type: 'webhook', url: '/hook', secretEnv: 'HOOK_SECRET' },
      { HOOK_SECRET: 's3cret' },
    );
    const e = await send(request()).catch((x: unknown) => x);
    rx.answer = () => ({ status: 200, body: '{"errcode":0,"code":0}' });
    expect(e).toBeInstanceOf(ChannelError);
    expect(String(e)).toContain('HTTP 500');
    expect(String(e)).not.toContain('s3cret');
  });

  it('refuses to send when the secret variable it names is not set', async () => {
    const send = sender({ id: 'hook', type: 'webhook', url: '/hook', secretEnv: 'MISSING_SECRET' });
    await expect(send(request())).rejects.toThrow(/MISSING_SECRET/);
  });
});

describe('WeCom group robot', () => {
  it('posts msgtype text with the content, to the URL read from the environment', async () => {
    await sender(
      { id: 'wx', type: 'wecom', urlEnv: 'WX_URL' },
      { WX_URL: `${rx.url}/cgi-bin/webhook/send?key=k-123` },
    )(request());
    const r = last();
    expect(r.url.pathname).toBe('/cgi-bin/webhook/send');
    expect(r.url.searchParams.get('key')).toBe('k-123');
    const body = JSON.parse(r.body);
    expect(body.msgtype).toBe('text');
    expect(body.text.content).toBe(message.text);
    expect(Buffer.byteLength(body.text.content)).toBeLessThanOrEqual(2048);
  });

  it('posts msgtype markdown when asked, and fails on a non-zero errcode', async () => {
    await sender(
      { id: 'wx', type: 'wecom', urlEnv: 'WX_URL', format: 'markdown' },
      { WX_URL: `${rx.url}/wx` },
    )(request());
    expect(JSON.parse(last().body)).toEqual({ msgtype: 'markdown', markdown: { content: message.markdown } });
    rx.answer = () => ({ status: 200, body: '{"errcode":45009,"errmsg":"api freq out of limit"}' });
    const send = sender({ id: 'wx', type: 'wecom', urlEnv: 'WX_URL' }, { WX_URL: `${rx.url}/wx` });
    await expect(send(request())).rejects.toThrow(/45009/);
    rx.answer = () => ({ status: 200, body: '{"errcode":0,"code":0}' });
  });
});

describe('DingTalk robot', () => {
  it('signs timestamp + "\\n" + secret with HMAC-SHA256, Base64 then URL-encoded, in the query', async () => {
    const secret = 'SEC0123456789abcdef';
    await sender(
      { id: 'dd', type: 'dingtalk', urlEnv: 'DD_URL', secretEnv: 'DD_SECRET' },
      { DD_URL: `${rx.url}/robot/send?access_token=tok`, DD_SECRET: secret },
    )(request());
    const r = last();
    expect(r.url.searchParams.get('access_token')).toBe('tok');
    const ts = r.url.searchParams.get('timestamp')!;
    expect(ts).toBe(String(NOW));
    const want = createHmac('sha256', secret).update(`${ts}\n${secret}`).digest('base64');
    // URLSearchParams decodes the URL-encoding once: what is left is the Base64 signature.
    expect(r.url.searchParams.get('sign')).toBe(want);
    expect(r.url.search).toContain(`sign=${encodeURIComponent(want)}`);
    const body = JSON.parse(r.body);
    expect(body.msgtype).toBe('markdown');
    expect(body.markdown.title).toBe(message.title);
    expect(body.markdown.text).toContain('西吉城乡供水工程');
  });
});

describe('Feishu robot', () => {
  it('puts timestamp (seconds) and sign = Base64(HMAC-SHA256 keyed with timestamp + "\\n" + secret over "") in the body', async () => {
    const secret = 'fs-secret';
    await sender(
      { id: 'fs', type: 'feishu', urlEnv: 'FS_URL', secretEnv: 'FS_SECRET' },
      { FS_URL: `${rx.url}/open-apis/bot/v2/hook/abc`, FS_SECRET: secret },
    )(request());
    const body = JSON.parse(last().body);
    expect(body.timestamp).toBe(String(Math.floor(NOW / 1000)));
    expect(body.sign).toBe(createHmac('sha256', `${body.timestamp}\n${secret}`).update('').digest('base64'));
    expect(body.msg_type).toBe('text');
    expect(body.content.text).toBe(message.text);
  });

  it('fails when Feishu answers a non-zero code', async () => {
    rx.answer = () => ({
      status: 200,
      body: '{"code":19021,"msg":"sign match fail or timestamp is not within one hour from current time"}',
    });
    const send = sender({ id: 'fs', type: 'feishu', urlEnv: 'FS_URL' }, { FS_URL: `${rx.url}/f` });
    await expect(send(request())).rejects.toThrow(/19021/);
    rx.answer = () => ({ status: 200, body: '{"errcode":0,"code":0}' });
  });
});

describe('SMS gateway template', () => {
  it('fills the JSON template with the number and the one-segment text, and checks the success test', async () => {
    const channel: Channel = {
      id: 'sms',
      type: 'sms',
      url: '/sms/send',
      headers: { Authorization: 'Bearer {{secret}}' },
      bodyTemplate: '{"phone":{{to}},"content":{{text}},"sign":"waterline"}',
      secretEnv: 'SMS_TOKEN',
      success: { status: [200], bodyContains: '"result":"OK"' },
    };
    rx.answer = () => ({ status: 200, body: '{"result":"OK"}' });
    await sender(channel, { SMS_TOKEN: 'gw-token' })(request('13800001111'));
    const r = last();
    expect(r.headers.authorization).toBe('Bearer gw-token');
    const body = JSON.parse(r.body);
    expect(body.phone).toBe('13800001111');
    expect(body.content).toBe(message.sms);
    expect([...body.content].length).toBeLessThanOrEqual(70);
    rx.answer = () => ({ status: 200, body: '{"result":"QUOTA"}' });
    await expect(sender(channel, { SMS_TOKEN: 'gw-token' })(request('13800001111'))).rejects.toThrow(/lacks/);
    rx.answer = () => ({ status: 200, body: '{"errcode":0,"code":0}' });
  });
});

describe('e-mail', () => {
  it('delivers the Chinese message to a real SMTP server with a Message-ID from the idempotency key', async () => {
    const mails: { from?: string; to: string[]; data: string }[] = [];
    const smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, session, done) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          mails.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : undefined,
            to: session.envelope.rcptTo.map((r) => r.address),
            data: Buffer.concat(chunks).toString('utf8'),
          });
          done();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    const port = (smtp.server.address() as AddressInfo).port;
    try {
      await sender({ id: 'mail', type: 'email', host: '127.0.0.1', port, from: 'waterline@county.test' })(
        request('duty@county.test'),
      );
      expect(mails).toHaveLength(1);
      expect(mails[0]!.to).toEqual(['duty@county.test']);
      expect(mails[0]!.from).toBe('waterline@county.test');
      expect(mails[0]!.data).toMatch(/^Message-ID: <a-1:raised-ch-ch@waterline>/m);
      expect(mails[0]!.data).toMatch(/^Subject: =\?UTF-8\?/m);
      expect(mails[0]!.data).toContain('X-Waterline-Alert: a-1');
    } finally {
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
    }
  });
});
