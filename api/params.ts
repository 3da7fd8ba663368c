/** Query parameters as zod schemas: one source for validation and for the OpenAPI document. */

import type { MiddlewareHandler } from 'hono';
import { z } from 'zod';
import { ID_PATTERN } from '../core/ids.js';
import { parseDuration, parseTime } from '../core/time.js';
import { badRequest, MAX_ECHO } from './problem.js';

/** A string parameter converted by `convert`, which returns null when the text breaks `rule`. */
function converted<T>(convert: (raw: string) => T | null, rule: string) {
  return z.string().transform((raw, ctx): T => {
    const v = convert(raw);
    if (v === null) {
      ctx.addIssue({ code: 'custom', message: rule });
      return z.NEVER;
    }
    return v;
  });
}

export const timeParam = (description: string) =>
  converted(parseTime, 'must be an RFC 3339 time with offset or epoch milliseconds').meta({
    description: `${description}; RFC 3339 with offset, or epoch milliseconds`,
    examples: ['2027-01-01T00:00:00Z', '1798761600000'],
  });

export const durationParam = (description: string) =>
  converted(parseDuration, 'must be a duration like 30s, 5m, 1h or 7d').meta({
    description: `${description}; <n>s, <n>m, <n>h or <n>d`,
    examples: ['24h', '7d'],
  });

export const boolParam = (description: string) =>
  z
    .enum(['true', 'false'], { error: 'must be true or false' })
    .transform((v) => v === 'true')
    .meta({ description });

export const intParam = (description: string, min: number, max: number) =>
  converted((raw) => {
    const n = /^\d{1,9}$/.test(raw) ? Number(raw) : Number.NaN;
    return n >= min && n <= max ? n : null;
  }, `must be an integer from ${min} to ${max}`).meta({
    description: `${description} (${min}..${max})`,
    // The wire text is a string, but clients should see the number it must hold.
    type: 'integer',
    minimum: min,
    maximum: max,
  });

export const idParam = (description: string) =>
  z.string().regex(ID_PATTERN, { error: 'must match [a-z0-9][a-z0-9-]{0,63}' }).meta({ description });

export const enumParam = <const T extends readonly [string, ...string[]]>(values: T, description: string) =>
  z.enum(values, { error: `must be one of ${values.join(', ')}` }).meta({ description });

/**
 * Validates a route's query with a strict schema: every broken rule becomes one entry of `errors`, and
 * the problem names the first parameter (CONTRACT §7). Unknown parameters are refused, so a typo is
 * never silently ignored.
 */
export function parseQuery<S extends z.ZodObject>(schema: S, query: Record<string, string>): z.output<S> {
  const r = schema.safeParse(query);
  if (r.success) return r.data;
  const known = Object.keys(schema.shape);
  const errors = r.error.issues.flatMap((i) => {
    if (i.code === 'unrecognized_keys') {
      return i.keys.map((k) => ({
        param: k.length > MAX_ECHO ? `${k.slice(0, MAX_ECHO)}…` : k,
        detail: `unknown parameter; this route takes ${known.join(', ') || 'none'}`,
      }));
    }
    const message = i.code === 'invalid_type' && i.input === undefined ? 'is required' : i.message;
    return [{ param: String(i.path[0] ?? 'query'), detail: message }];
  });
  const first = errors[0]!;
  throw badRequest(first.param, first.detail, errors.length > 1 ? errors : undefined);
}

/** For routes that take no query parameter at all. */
export const NoQuery = z.strictObject({});

/**
 * `limit=1&limit=2` is a 400 naming the parameter, on every route: which of the two a server takes
 * differs between frameworks and proxies, so the request cannot mean one thing for sure.
 */
export const rejectRepeatedParams: MiddlewareHandler = async (c, next) => {
  const q = c.req.url.indexOf('?');
  if (q >= 0) {
    const seen = new Set<string>();
    for (const name of new URLSearchParams(c.req.url.slice(q + 1)).keys()) {
      if (seen.has(name)) {
        const shown = name.length > MAX_ECHO ? `${name.slice(0, MAX_ECHO)}…` : name;
        throw badRequest(shown, 'is given more than once; give it once');
      }
      seen.add(name);
    }
  }
  await next();
};
