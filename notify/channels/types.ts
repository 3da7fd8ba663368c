/** What every channel sender takes and how it fails. */
import type { Alert } from '../../core/alert.js';
import type { Message } from '../../core/notify/message.js';

export interface SendRequest {
  message: Message;
  /** An address or number for e-mail and SMS; the channel id for robots and webhooks. */
  recipient: string;
  /** Stable across retries and restarts: receivers that honour it drop a repeat. */
  idempotencyKey: string;
  alert: Alert;
  step: string;
  level: string;
}

export type Sender = (req: SendRequest) => Promise<void>;

/** A delivery that did not succeed; the message never contains a secret (URLs are left out). */
export class ChannelError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ChannelError';
  }
}

export interface SenderDeps {
  /** The process environment, where secrets are looked up by the names the registry gives. */
  env: Readonly<Record<string, string | undefined>>;
  fetch: typeof fetch;
  /** Resolves a path URL ("/demo/inbox/hook") against the platform's own address. */
  baseUrl: string;
  clock: () => number;
  timeoutMs: number;
}

export function secret(deps: SenderDeps, name: string | undefined, what: string): string | undefined {
  if (name === undefined) return undefined;
  const v = deps.env[name];
  if (v === undefined || v === '')
    throw new ChannelError(`environment variable ${name} (${what}) is not set`);
  return v;
}

/** POSTs JSON and returns the parsed answer; an HTTP error or a non-JSON answer is a ChannelError. */
export async function postJson(
  deps: SenderDeps,
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
) {
  let res: Response;
  try {
    res = await deps.fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
      signal: AbortSignal.timeout(deps.timeoutMs),
    });
  } catch (e) {
    throw new ChannelError(`request failed: ${(e as Error).message}`, { cause: e });
  }
  const text = await res.text().catch(() => '');
  if (!res.ok) throw new ChannelError(`HTTP ${res.status}: ${text.slice(0, 200)}`);
  try {
    return text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
  } catch {
    return { raw: text };
  }
}

/** Cuts UTF-8 text to at most `bytes` bytes on a character boundary (robots count bytes, not characters). */
export function cutBytes(text: string, bytes: number): string {
  if (Buffer.byteLength(text) <= bytes) return text;
  let out = '';
  for (const ch of text) {
    if (Buffer.byteLength(out + ch) > bytes - 3) break;
    out += ch;
  }
  return `${out}…`;
}
