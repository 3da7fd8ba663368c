/** The registry's `notify` section: channels, routes by place and rule, escalation; secrets only by env name. */
import { z } from 'zod';
import { Id } from '../ids.js';
import { parseDuration } from '../time.js';

/**
 * A secret is named, never written: the file holds the name of the environment variable that holds it
 * (POSIX portable names: upper case, digits, underscore), so a registry can be committed and shared.
 */
export const EnvName = z
  .string()
  .regex(/^[A-Z_][A-Z0-9_]{0,127}$/, 'must be an environment variable NAME (A-Z, 0-9, _), not a value');

/** `30s`, `15m`, `2h`, `1d`, as in the API (CONTRACT §7). */
const Duration = z
  .string()
  .refine((s) => parseDuration(s) !== null, 'must be a duration like 30s, 15m, 2h or 1d');

/**
 * A URL written in the file must carry no credential: no user:password, and no query parameter of the
 * kinds robots use for their tokens (WeCom `key`, DingTalk `access_token`). Such URLs go in `urlEnv`.
 */
const SECRET_QUERY = /^(key|access_token|token|secret|sign|password|pass|apikey|api_key)$/i;
const PlainUrl = z.string().superRefine((s, ctx) => {
  // A path on the platform itself ("/demo/inbox/hook") is resolved against the board's address.
  if (s.startsWith('/') && !s.startsWith('//')) return;
  let u: URL;
  try {
    u = new URL(s);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'must be an http(s) URL or a path starting with /' });
    return;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    ctx.addIssue({ code: 'custom', message: 'must be http or https' });
  if (u.username || u.password)
    ctx.addIssue({ code: 'custom', message: 'must not hold a user or password; use secretEnv' });
  for (const k of u.searchParams.keys())
    if (SECRET_QUERY.test(k))
      ctx.addIssue({ code: 'custom', message: `query parameter "${k}" looks like a secret; use urlEnv` });
  // Feishu's hook token is the last path segment (open-apis/bot/v2/hook/<token>).
  if (/\/bot\/v2\/hook\/./.test(u.pathname))
    ctx.addIssue({ code: 'custom', message: 'a Feishu hook URL holds its token; use urlEnv' });
});

/** Messages a minute a channel may send; robots publish their own limits (see each type). */
const RatePerMinute = z.number().int().min(1).max(10_000);

const common = {
  id: Id,
  ratePerMinute: RatePerMinute.optional(),
  /** Off keeps the channel in the file (and its routes valid) but sends nothing. */
  enabled: z.boolean().optional(),
};

/** A generic JSON webhook, signed with HMAC-SHA256 when `secretEnv` is set (see notify/channels/webhook.ts). */
export const WebhookChannel = z.strictObject({
  ...common,
  type: z.literal('webhook'),
  url: PlainUrl.optional(),
  urlEnv: EnvName.optional(),
  secretEnv: EnvName.optional(),
});

/** WeCom group robot: its webhook URL carries the key, so it is read from the environment. */
export const WecomChannel = z.strictObject({
  ...common,
  type: z.literal('wecom'),
  urlEnv: EnvName,
  format: z.enum(['text', 'markdown']).optional(),
});

/** DingTalk custom robot with the signed-request (加签) scheme: `secretEnv` holds the SEC… secret. */
export const DingtalkChannel = z.strictObject({
  ...common,
  type: z.literal('dingtalk'),
  urlEnv: EnvName,
  secretEnv: EnvName.optional(),
});

/** Feishu custom bot, with signature verification (签名校验) when `secretEnv` is set. */
export const FeishuChannel = z.strictObject({
  ...common,
  type: z.literal('feishu'),
  urlEnv: EnvName,
  secretEnv: EnvName.optional(),
});

/** E-mail over SMTP; recipients are the route target's `to` addresses. */
export const EmailChannel = z.strictObject({
  ...common,
  type: z.literal('email'),
  host: z.string().min(1).max(253),
  port: z.number().int().min(1).max(65_535),
  /** Implicit TLS (port 465); otherwise STARTTLS is used when the server offers it. */
  secure: z.boolean().optional(),
  user: z.string().min(1).max(200).optional(),
  passwordEnv: EnvName.optional(),
  from: z.string().min(3).max(200),
});

/**
 * SMS through any HTTP gateway: the body is a template where `{{to}}`, `{{text}}` and `{{secret}}` are
 * replaced (JSON-escaped in a JSON body, URL-encoded in a form body); success is a status and, optionally,
 * a string the answer must contain (`"code":0`, `OK`...). Provider-neutral on purpose.
 */
export const SmsChannel = z.strictObject({
  ...common,
  type: z.literal('sms'),
  url: PlainUrl,
  method: z.enum(['POST', 'PUT', 'GET']).optional(),
  contentType: z.enum(['application/json', 'application/x-www-form-urlencoded']).optional(),
  headers: z
    .record(z.string().regex(/^[A-Za-z0-9-]{1,64}$/), z.string().max(500))
    .superRefine((h, ctx) => {
      // A credential header must take its value from the environment, through {{secret}}.
      for (const [k, v] of Object.entries(h))
        if (/auth|token|key|secret|sign|pass/i.test(k) && !v.includes('{{secret}}'))
          ctx.addIssue({
            code: 'custom',
            path: [k],
            message: 'a credential header must use {{secret}} (secretEnv)',
          });
    })
    .optional(),
  bodyTemplate: z.string().min(1).max(4000),
  secretEnv: EnvName.optional(),
  success: z
    .strictObject({
      status: z.array(z.number().int().min(100).max(599)).min(1).optional(),
      bodyContains: z.string().min(1).max(200).optional(),
    })
    .optional(),
});

export const Channel = z.discriminatedUnion('type', [
  WebhookChannel,
  WecomChannel,
  DingtalkChannel,
  FeishuChannel,
  EmailChannel,
  SmsChannel,
]);
export type Channel = z.infer<typeof Channel>;
export type ChannelType = Channel['type'];

export const LEVELS = ['county', 'prefecture', 'region'] as const;
export const Level = z.enum(LEVELS);
export type Level = z.infer<typeof Level>;

/** One delivery target: a channel, and for e-mail and SMS the addresses or numbers. */
export const Target = z.strictObject({
  channel: Id,
  to: z.array(z.string().min(1).max(200)).min(1).max(100).optional(),
});
export type Target = z.infer<typeof Target>;

/** Every listed criterion must hold; an absent one matches everything. */
export const RouteMatch = z.strictObject({
  counties: z.array(Id).min(1).optional(),
  prefectures: z.array(Id).min(1).optional(),
  schemes: z.array(Id).min(1).optional(),
  severities: z
    .array(z.enum(['warning', 'critical']))
    .min(1)
    .optional(),
  rules: z.array(Id).min(1).optional(),
});
export type RouteMatch = z.infer<typeof RouteMatch>;

export const Route = z.strictObject({
  id: Id,
  /** Who this route reaches: the county on duty first, then the prefecture, then the region. */
  level: Level.optional(),
  match: RouteMatch.optional(),
  /** Used only when no other route of its level matches the alert: a county's default. */
  fallback: z.boolean().optional(),
  targets: z.array(Target).min(1),
  /** Send one "恢复" message when the alert clears. */
  recovery: z.boolean().optional(),
});
export type Route = z.infer<typeof Route>;

export const Escalation = z.strictObject({
  /** Re-send an unacknowledged alert after this long, and again after each further period. */
  repeatAfter: Duration.optional(),
  /** Go up one level (county → prefecture → region) after each period of this length. */
  escalateAfter: Duration.optional(),
  /** How many repeats at most (so a forgotten alert does not page forever). */
  maxRepeats: z.number().int().min(0).max(100).optional(),
  /** Which severities repeat and escalate (default: critical only). */
  severities: z
    .array(z.enum(['warning', 'critical']))
    .min(1)
    .optional(),
});
export type Escalation = z.infer<typeof Escalation>;

export const NotifySection = z.strictObject({
  channels: z.array(Channel),
  routes: z.array(Route),
  escalation: Escalation.optional(),
  /** Serve the demo inbox (`/demo/inbox`) that a webhook channel may point at; for demos only. */
  demoInbox: z.boolean().optional(),
});
export type NotifySection = z.infer<typeof NotifySection>;
