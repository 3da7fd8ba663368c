/** Group robots of WeCom, DingTalk and Feishu, each in the request format its documentation gives. */
import { createHmac } from 'node:crypto';
import type { Channel } from '../../core/notify/schema.js';
import { ChannelError, cutBytes, postJson, type Sender, type SenderDeps, secret } from './types.js';

type Of<T extends Channel['type']> = Extract<Channel, { type: T }>;

/**
 * WeCom group robot (群机器人配置说明, https://developer.work.weixin.qq.com/document/path/91770):
 * POST JSON `{"msgtype":"text","text":{"content"}}` (content at most 2048 bytes UTF-8) or
 * `{"msgtype":"markdown","markdown":{"content"}}` (at most 4096 bytes); success is `errcode` 0.
 */
export function wecomSender(c: Of<'wecom'>, deps: SenderDeps): Sender {
  return async ({ message }) => {
    const url = secret(deps, c.urlEnv, 'WeCom webhook URL')!;
    const body =
      c.format === 'markdown'
        ? { msgtype: 'markdown', markdown: { content: cutBytes(message.markdown, 4096) } }
        : { msgtype: 'text', text: { content: cutBytes(message.text, 2048) } };
    expectZero(await postJson(deps, url, body), 'errcode', 'errmsg');
  };
}

/**
 * DingTalk custom robot, signed requests (自定义机器人安全设置 · 加签,
 * https://open.dingtalk.com/document/robots/customize-robot-security-settings): string to sign is
 * `timestamp + "\n" + secret` (timestamp in ms, within an hour of DingTalk's clock), HMAC-SHA256 keyed
 * with the secret, Base64, then URL-encoded, sent as the `timestamp` and `sign` query parameters. Body
 * (https://open.dingtalk.com/document/robots/custom-robot-access): `{"msgtype":"markdown","markdown":
 * {"title","text"}}`; success is `errcode` 0.
 */
export function dingtalkSign(secretValue: string, timestampMs: number): string {
  const mac = createHmac('sha256', secretValue)
    .update(`${timestampMs}\n${secretValue}`, 'utf8')
    .digest('base64');
  return encodeURIComponent(mac);
}

export function dingtalkSender(c: Of<'dingtalk'>, deps: SenderDeps): Sender {
  return async ({ message }) => {
    let url = secret(deps, c.urlEnv, 'DingTalk webhook URL')!;
    const key = secret(deps, c.secretEnv, 'DingTalk signing secret');
    if (key) {
      const ts = deps.clock();
      url += `${url.includes('?') ? '&' : '?'}timestamp=${ts}&sign=${dingtalkSign(key, ts)}`;
    }
    const body = { msgtype: 'markdown', markdown: { title: message.title, text: message.markdown } };
    expectZero(await postJson(deps, url, body), 'errcode', 'errmsg');
  };
}

/**
 * Feishu custom bot with signature verification (自定义机器人使用指南,
 * https://open.feishu.cn/document/client-docs/bot-v3/add-custom-bot): timestamp in seconds (within an
 * hour), sign = Base64(HMAC-SHA256 keyed with `timestamp + "\n" + secret` over an empty message), both in
 * the JSON body next to `{"msg_type":"text","content":{"text"}}`; success is `code` 0 (older bots answer
 * `StatusCode` 0).
 */
export function feishuSign(secretValue: string, timestampS: number): string {
  return createHmac('sha256', `${timestampS}\n${secretValue}`).update('').digest('base64');
}

export function feishuSender(c: Of<'feishu'>, deps: SenderDeps): Sender {
  return async ({ message }) => {
    const url = secret(deps, c.urlEnv, 'Feishu webhook URL')!;
    const key = secret(deps, c.secretEnv, 'Feishu signing secret');
    const ts = Math.floor(deps.clock() / 1000);
    const body = {
      ...(key ? { timestamp: String(ts), sign: feishuSign(key, ts) } : {}),
      msg_type: 'text',
      content: { text: message.text },
    };
    const answer = await postJson(deps, url, body);
    const code = answer.code ?? answer.StatusCode;
    if (code !== 0)
      throw new ChannelError(
        `Feishu answered code ${String(code)}: ${String(answer.msg ?? answer.StatusMessage ?? '')}`,
      );
  };
}

function expectZero(answer: Record<string, unknown>, codeField: string, msgField: string): void {
  if (answer[codeField] !== 0)
    throw new ChannelError(
      `answered ${codeField} ${String(answer[codeField])}: ${String(answer[msgField] ?? '')}`,
    );
}
