/** Parsing of query parameters: each failure names the parameter and the rule it broke. */
import { parseDuration, parseTime } from '../core/time.js';
import { badRequest } from './problem.js';

export function timeParam(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const ms = parseTime(raw);
  if (ms === null)
    throw badRequest(name, `"${raw}" is not an RFC 3339 time with offset or epoch milliseconds`);
  return ms;
}

export function durationParam(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const ms = parseDuration(raw);
  if (ms === null) throw badRequest(name, `"${raw}" is not a duration like 30s, 5m, 1h or 7d`);
  return ms;
}

export function enumParam<T extends string>(
  name: string,
  raw: string | undefined,
  allowed: readonly T[],
): T | undefined {
  if (raw === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(raw))
    throw badRequest(name, `must be one of ${allowed.join(', ')}`);
  return raw as T;
}

/** Refuses parameters the route does not know, so a typo is not silently ignored. */
export function onlyParams(query: Record<string, string>, known: readonly string[]): void {
  for (const name of Object.keys(query)) {
    if (!known.includes(name))
      throw badRequest(name, `unknown parameter; this route takes ${known.join(', ') || 'none'}`);
  }
}
