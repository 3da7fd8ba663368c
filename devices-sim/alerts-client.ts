/** Reads every alert raised since a time from the platform's API (CONTRACT §7), page by page. */
import type { ScoredAlert } from './score.js';

export interface AlertsQuery {
  apiUrl: string;
  key: string;
  /** Epoch ms: alerts raised at or after it. */
  since: number;
  pageSize?: number;
  fetch?: typeof fetch;
}

export class AlertsApiError extends Error {
  override name = 'AlertsApiError';
}

export async function fetchAlerts(q: AlertsQuery): Promise<ScoredAlert[]> {
  const get = q.fetch ?? fetch;
  const out: ScoredAlert[] = [];
  let cursor: string | undefined;
  // A bound on pages, so a server that repeats a cursor cannot keep us here.
  for (let page = 0; page < 10_000; page++) {
    const url = new URL('/api/v1/alerts', q.apiUrl);
    url.searchParams.set('since', new Date(q.since).toISOString());
    url.searchParams.set('limit', String(q.pageSize ?? 500));
    if (cursor) url.searchParams.set('cursor', cursor);
    let res: Response;
    try {
      res = await get(url, { headers: { authorization: `Bearer ${q.key}` } });
    } catch (e) {
      throw new AlertsApiError(`cannot reach ${q.apiUrl}: ${(e as Error).message}`, { cause: e });
    }
    if (!res.ok)
      throw new AlertsApiError(
        `GET ${url.pathname} answered ${res.status}: ${(await res.text()).slice(0, 300)}`,
      );
    const body = (await res.json()) as { items?: ScoredAlert[]; nextCursor?: string };
    if (!Array.isArray(body.items)) throw new AlertsApiError(`GET ${url.pathname} returned no items array`);
    out.push(...body.items);
    if (!body.nextCursor || body.items.length === 0) return out;
    cursor = body.nextCursor;
  }
  return out;
}

/** The root site of every incident opened since a time (GET /api/v1/incidents), by incident id. */
export async function fetchIncidentRoots(q: AlertsQuery): Promise<Map<string, string | undefined>> {
  const get = q.fetch ?? fetch;
  const out = new Map<string, string | undefined>();
  let cursor: string | undefined;
  for (let page = 0; page < 10_000; page++) {
    const url = new URL('/api/v1/incidents', q.apiUrl);
    url.searchParams.set('since', new Date(q.since).toISOString());
    url.searchParams.set('limit', String(q.pageSize ?? 500));
    if (cursor) url.searchParams.set('cursor', cursor);
    let res: Response;
    try {
      res = await get(url, { headers: { authorization: `Bearer ${q.key}` } });
    } catch (e) {
      throw new AlertsApiError(`cannot reach ${q.apiUrl}: ${(e as Error).message}`, { cause: e });
    }
    if (!res.ok)
      throw new AlertsApiError(
        `GET ${url.pathname} answered ${res.status}: ${(await res.text()).slice(0, 300)}`,
      );
    const body = (await res.json()) as { items?: { id: string; rootSiteId?: string }[]; nextCursor?: string };
    if (!Array.isArray(body.items)) throw new AlertsApiError(`GET ${url.pathname} returned no items array`);
    for (const i of body.items) out.set(i.id, i.rootSiteId);
    if (!body.nextCursor || body.items.length === 0) return out;
    cursor = body.nextCursor;
  }
  return out;
}
