/** RFC 9457 problem details: the one shape of every API error. */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

export class ProblemError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly title: string,
    readonly detail?: string,
    readonly extra?: Record<string, unknown>,
    readonly headers?: Record<string, string>,
  ) {
    super(detail ?? title);
    this.name = 'ProblemError';
  }
}

/** Echoed input is cut to this many characters: enough to recognise it, never a 10 KB id sent back. */
export const MAX_ECHO = 64;

/** Input quoted in a problem's detail, cut to MAX_ECHO characters with an ellipsis. */
export const echo = (input: string): string =>
  JSON.stringify(input.length > MAX_ECHO ? `${input.slice(0, MAX_ECHO)}…` : input);

/** One broken rule of one parameter. */
export interface ParamError {
  param: string;
  detail: string;
}

/** 400 naming the parameter (an RFC 9457 extension member); `errors` lists every one when several broke. */
export const badRequest = (param: string, detail: string, errors?: readonly ParamError[]) =>
  new ProblemError(400, 'Bad Request', `${param}: ${detail}`, errors ? { param, errors } : { param });
export const unauthorized = (detail: string) =>
  // RFC 6750 §3: a 401 for a bearer-protected resource names the scheme.
  new ProblemError(401, 'Unauthorized', detail, undefined, {
    'www-authenticate': 'Bearer realm="waterline"',
  });
export const forbidden = (detail: string) => new ProblemError(403, 'Forbidden', detail);
export const notFound = (detail: string) => new ProblemError(404, 'Not Found', detail);
export const tooManyRequests = (detail: string, retryAfterS: number) =>
  new ProblemError(429, 'Too Many Requests', detail, undefined, { 'retry-after': String(retryAfterS) });

export const serviceUnavailable = (detail: string, retryAfterS: number) =>
  new ProblemError(503, 'Service Unavailable', detail, undefined, { 'retry-after': String(retryAfterS) });

export function problemResponse(c: Context, p: ProblemError): Response {
  const body = {
    type: 'about:blank',
    title: p.title,
    status: p.status,
    detail: p.detail,
    instance: c.req.path.length > 128 ? `${c.req.path.slice(0, 128)}…` : c.req.path,
    ...p.extra,
  };
  return c.body(JSON.stringify(body), p.status, {
    ...p.headers,
    'content-type': 'application/problem+json',
  });
}
