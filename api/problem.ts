/** RFC 9457 problem details: the one shape of every API error. */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

export class ProblemError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly title: string,
    readonly detail?: string,
    readonly extra?: Record<string, unknown>,
  ) {
    super(detail ?? title);
    this.name = 'ProblemError';
  }
}

export const badRequest = (param: string, detail: string) =>
  new ProblemError(400, 'Bad Request', `${param}: ${detail}`, { param });
export const unauthorized = (detail: string) => new ProblemError(401, 'Unauthorized', detail);
export const forbidden = (detail: string) => new ProblemError(403, 'Forbidden', detail);
export const notFound = (detail: string) => new ProblemError(404, 'Not Found', detail);

export function problemResponse(c: Context, p: ProblemError): Response {
  const body = {
    type: 'about:blank',
    title: p.title,
    status: p.status,
    detail: p.detail,
    instance: c.req.path,
    ...p.extra,
  };
  return c.body(JSON.stringify(body), p.status, { 'content-type': 'application/problem+json' });
}
