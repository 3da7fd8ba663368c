/** The generic JSON webhook, signed with HMAC-SHA256 so the receiver can tell it came from this platform. */
import { createHmac } from 'node:crypto';
import type { Channel } from '../../core/notify/schema.js';
import { postJson, type Sender, type SenderDeps, secret } from './types.js';

/** Header names of the scheme (documented in the README and OpenAPI). */
export const SIGNATURE_HEADER = 'x-waterline-signature';
export const TIMESTAMP_HEADER = 'x-waterline-timestamp';
export const IDEMPOTENCY_HEADER = 'idempotency-key';

/**
 * `X-Waterline-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>` with
 * `X-Waterline-Timestamp: <unix seconds>`: the timestamp is signed too, so a receiver that rejects old
 * timestamps (five minutes, say) cannot be replayed at. The same scheme as Stripe's and Slack's.
 */
export function webhookSignature(secretValue: string, timestampS: number, body: string): string {
  return `sha256=${createHmac('sha256', secretValue).update(`${timestampS}.${body}`, 'utf8').digest('hex')}`;
}

/** The JSON a webhook receives. */
export interface WebhookBody {
  /** The idempotency key: the same message retried carries the same id. */
  id: string;
  step: string;
  level: string;
  title: string;
  text: string;
  link: string;
  alert: unknown;
}

export function resolveUrl(deps: SenderDeps, url: string): string {
  return url.startsWith('/') ? new URL(url, deps.baseUrl).toString() : url;
}

export function webhookSender(c: Extract<Channel, { type: 'webhook' }>, deps: SenderDeps): Sender {
  return async (req) => {
    const url = resolveUrl(deps, c.url ?? secret(deps, c.urlEnv, 'webhook URL')!);
    const body: WebhookBody = {
      id: req.idempotencyKey,
      step: req.step,
      level: req.level,
      title: req.message.title,
      text: req.message.text,
      link: req.message.link,
      alert: req.alert,
    };
    const text = JSON.stringify(body);
    const headers: Record<string, string> = { [IDEMPOTENCY_HEADER]: req.idempotencyKey };
    const key = secret(deps, c.secretEnv, 'webhook signing secret');
    if (key) {
      const ts = Math.floor(deps.clock() / 1000);
      headers[TIMESTAMP_HEADER] = String(ts);
      headers[SIGNATURE_HEADER] = webhookSignature(key, ts, text);
    }
    await postJson(deps, url, text, headers);
  };
}
