/** SMS through any HTTP gateway, described by a template in the registry (provider-neutral). */
import type { Channel } from '../../core/notify/schema.js';
import { ChannelError, type Sender, type SenderDeps, secret } from './types.js';
import { resolveUrl } from './webhook.js';

type Sms = Extract<Channel, { type: 'sms' }>;

/** Fills `{{to}}`, `{{text}}` and `{{secret}}`, each escaped for where it lands. */
export function fillTemplate(
  template: string,
  values: Record<string, string>,
  encode: (v: string) => string,
): string {
  return template.replace(/\{\{\s*(to|text|secret)\s*\}\}/g, (_, k: string) => encode(values[k] ?? ''));
}

export function smsSender(c: Sms, deps: SenderDeps): Sender {
  const method = c.method ?? 'POST';
  const type = c.contentType ?? 'application/json';
  return async (req) => {
    const values = {
      to: req.recipient,
      text: req.message.sms,
      secret: secret(deps, c.secretEnv, 'SMS gateway secret') ?? '',
    };
    // In JSON the placeholder stands for a whole JSON string value ("{{text}}" becomes "\"…\"").
    const body =
      type === 'application/json'
        ? fillTemplate(c.bodyTemplate, values, (v) => JSON.stringify(v))
        : fillTemplate(c.bodyTemplate, values, encodeURIComponent);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(c.headers ?? {})) headers[k] = fillTemplate(v, values, (x) => x);
    let url = resolveUrl(deps, c.url);
    if (method === 'GET') url += (url.includes('?') ? '&' : '?') + body;
    else headers['content-type'] = `${type}; charset=utf-8`;
    let res: Response;
    try {
      res = await deps.fetch(url, {
        method,
        headers,
        ...(method === 'GET' ? {} : { body }),
        signal: AbortSignal.timeout(deps.timeoutMs),
      });
    } catch (e) {
      throw new ChannelError(`SMS gateway request failed: ${(e as Error).message}`, { cause: e });
    }
    const text = await res.text().catch(() => '');
    const statusOk = c.success?.status ? c.success.status.includes(res.status) : res.ok;
    if (!statusOk) throw new ChannelError(`SMS gateway answered HTTP ${res.status}: ${text.slice(0, 200)}`);
    if (c.success?.bodyContains && !text.includes(c.success.bodyContains))
      throw new ChannelError(`SMS gateway answer lacks "${c.success.bodyContains}": ${text.slice(0, 200)}`);
  };
}
