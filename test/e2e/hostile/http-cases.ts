/** Hostile HTTP requests and what a careful API answers each: the status, and the parameter it names. */

export interface HttpCase {
  name: string;
  method?: string;
  path: string;
  /** Key id of the small registry, a raw Authorization header, or null for none. */
  key?: string | null;
  authorization?: string;
  headers?: Record<string, string>;
  body?: string;
  status: number;
  /** The `param` member of the problem, when it names one. */
  param?: string;
}

const huge = `x${'y'.repeat(10_000)}`;

/** Well-formed requests with broken query parameters: each a 400 naming the parameter. */
const BAD_QUERIES: [path: string, query: string, param: string][] = [
  ['/api/v1/alerts', 'active=yes', 'active'],
  ['/api/v1/alerts', 'active=', 'active'],
  ['/api/v1/alerts', 'acknowledged=1', 'acknowledged'],
  ['/api/v1/alerts', 'severity=fatal', 'severity'],
  ['/api/v1/alerts', 'severity=CRITICAL', 'severity'],
  ['/api/v1/alerts', 'county=Xiji', 'county'],
  ['/api/v1/alerts', 'county=atlantis', 'county'],
  ['/api/v1/alerts', `county=${'a'.repeat(65)}`, 'county'],
  ['/api/v1/alerts', 'device=..%2F..%2Fetc', 'device'],
  ['/api/v1/alerts', 'device=d-9999', 'device'],
  ['/api/v1/alerts', 'since=yesterday', 'since'],
  ['/api/v1/alerts', 'since=2027-13-01T00:00:00Z', 'since'],
  ['/api/v1/alerts', 'since=2027-01-01T00:00:00', 'since'],
  ['/api/v1/alerts', 'limit=0', 'limit'],
  ['/api/v1/alerts', 'limit=1001', 'limit'],
  ['/api/v1/alerts', 'limit=-1', 'limit'],
  ['/api/v1/alerts', 'limit=1e3', 'limit'],
  ['/api/v1/alerts', 'limit=99999999999999999999', 'limit'],
  ['/api/v1/alerts', 'limit=ten', 'limit'],
  ['/api/v1/alerts', 'cursor=not-a-cursor', 'cursor'],
  ['/api/v1/alerts', `cursor=${'Q'.repeat(600)}`, 'cursor'],
  ['/api/v1/alerts', 'colour=blue', 'colour'],
  ['/api/v1/alerts', "county=xiji'%20OR%201=1--", 'county'],
  ['/api/v1/alerts', 'limit=1&limit=2', 'limit'],
  ['/api/v1/alerts', 'active=true&severity=warning&active=false', 'active'],
  ['/api/v1/alerts/stream', 'county=nowhere', 'county'],
  ['/api/v1/alerts/stream', 'county=xiji&county=longde', 'county'],
  ['/api/v1/alerts/stream', 'follow=true', 'follow'],
  ['/api/v1/coverage', 'groupBy=village', 'groupBy'],
  ['/api/v1/coverage', 'window=forever', 'window'],
  ['/api/v1/coverage', 'window=-1h', 'window'],
  ['/api/v1/coverage', 'window=0s', 'window'],
  ['/api/v1/coverage', 'format=xml', 'format'],
  ['/api/v1/coverage', 'format=csv&format=json', 'format'],
  ['/api/v1/coverage', 'window=24h&window=1h', 'window'],
  ['/api/v1/devices', 'county=mars', 'county'],
  ['/api/v1/devices', 'online=true', 'online'],
  ['/api/v1/devices/d-0001/readings', '', 'metric'],
  ['/api/v1/devices/d-0001/readings', 'metric=colour', 'metric'],
  ['/api/v1/devices/d-0001/readings', 'metric=pressure', 'metric'],
  ['/api/v1/devices/d-0001/readings', 'metric=ph&from=then', 'from'],
  ['/api/v1/devices/d-0001/readings', 'metric=ph&to=now', 'to'],
  ['/api/v1/devices/d-0001/readings', 'metric=ph&from=2027-01-02T00:00:00Z&to=2027-01-01T00:00:00Z', 'from'],
  ['/api/v1/devices/d-0001/readings', 'metric=ph&every=1x', 'every'],
  ['/api/v1/devices/d-0001/readings', 'metric=ph&every=1s&from=0&to=999999999999', 'every'],
  ['/api/v1/devices/d-0001/readings', 'metric=ph&metric=chlorine', 'metric'],
  ['/api/v1/devices/d-0001/readings', 'metric=ph&limit=5', 'limit'],
  ['/ui/places', '', 'county'],
  ['/ui/places', 'county=nowhere', 'county'],
  ['/ui/latest', 'county=xiji&county=xiji', 'county'],
  ['/ui/latest', `county=${huge}`, 'county'],
];

/** Routes every key may read. */
const READ_ROUTES = [
  '/api/v1/alerts',
  '/api/v1/alerts/some-alert',
  '/api/v1/coverage',
  '/api/v1/devices',
  '/api/v1/devices/d-0001/readings?metric=ph',
  '/ui/session',
  '/ui/latest?county=xiji',
];

export function httpCases(): HttpCase[] {
  const cases: HttpCase[] = [];
  for (const [path, query, param] of BAD_QUERIES)
    cases.push({ name: `${path}?${query.slice(0, 40)}`, path: `${path}?${query}`, status: 400, param });

  // Missing or malformed credentials: 401 (a missing header is never counted as a guess).
  for (const path of READ_ROUTES) {
    cases.push({ name: `no key ${path}`, path, key: null, status: 401 });
    for (const authorization of ['Basic YWRtaW46YWRtaW4=', 'Bearer', 'Bearer  ', 'Token abc', 'bearer\tkey'])
      cases.push({ name: `${authorization} ${path}`, path, key: null, authorization, status: 401 });
  }

  // Scope and role: 403.
  for (const [method, path] of [
    ['GET', '/api/v1/alerts?county=longde'],
    ['GET', '/api/v1/alerts?device=d-0003'],
    ['GET', '/api/v1/alerts/stream?county=longde'],
    ['GET', '/api/v1/devices?county=longde'],
    ['GET', '/api/v1/devices/d-0003/readings?metric=chlorine'],
    ['GET', '/ui/places?county=longde'],
    ['GET', '/ui/latest?county=longde'],
  ] as const)
    cases.push({ name: `ops-xiji ${path}`, method, path, key: 'ops-xiji', status: 403 });
  for (const action of ['ack', 'resolve'])
    cases.push({
      name: `viewer ${action}`,
      method: 'POST',
      path: `/api/v1/alerts/ALERT/${action}`,
      key: 'planner',
      body: '{"note":"x"}',
      status: 403,
    });

  // Unknown things: 404, without echoing a huge id.
  for (const path of [
    `/api/v1/alerts/${huge}`,
    `/api/v1/devices/${huge}/readings?metric=ph`,
    `/api/v1/${huge}`,
    `/${huge}`,
    '/api/v1/alerts/nope/ack/again',
    '/api/v2/alerts',
    '/assets/..%2F..%2Fpackage.json',
    '/assets/app.js.map',
    '/assets/%2e%2e/%2e%2e/etc/passwd',
    '/api/v1/devices/d-0001/../../../../etc/passwd',
  ])
    cases.push({ name: `unknown ${path.slice(0, 40)}`, path, status: 404 });
  cases.push({
    name: 'ack of an unknown alert',
    method: 'POST',
    path: '/api/v1/alerts/nope/ack',
    status: 404,
  });
  cases.push({
    name: 'resolve of an unknown alert',
    method: 'POST',
    path: `/api/v1/alerts/${huge}/resolve`,
    body: '{"note":"x"}',
    status: 404,
  });

  // Bodies: broken JSON and fields (400 naming them), too large (413).
  const bodies: [action: string, body: string, param: string][] = [
    ['ack', '{"note":', 'body'],
    ['ack', '{"note": 5}', 'note'],
    ['ack', `{"note": "${'n'.repeat(2001)}"}`, 'note'],
    ['ack', '{"note": "ok", "acknowledgedBy": "admin"}', 'acknowledgedBy'],
    ['ack', '\u0000\u0001\u0002', 'body'],
    ['resolve', '', 'note'],
    ['resolve', '{}', 'note'],
    ['resolve', '{"note": ""}', 'note'],
    ['resolve', '{"note": null}', 'note'],
    ['resolve', '[]', 'body'],
    ['resolve', '"note"', 'body'],
    ['resolve', '{"note": "x", "resolvedBy": "admin"}', 'resolvedBy'],
    ['resolve', `{"note": "${'n'.repeat(2001)}"}`, 'note'],
    ['resolve', `{"note": "ok", "${'k'.repeat(5000)}": 1}`, `${'k'.repeat(64)}…`],
  ];
  for (const [action, body, param] of bodies)
    cases.push({
      name: `${action} body ${body.slice(0, 20)}`,
      method: 'POST',
      path: `/api/v1/alerts/ALERT/${action}`,
      key: 'ops-xiji',
      body,
      status: 400,
      param,
    });
  for (const action of ['ack', 'resolve'])
    cases.push({
      name: `${action} 100 KiB body`,
      method: 'POST',
      path: `/api/v1/alerts/ALERT/${action}`,
      key: 'ops-xiji',
      body: JSON.stringify({ note: 'n'.repeat(100_000) }),
      status: 413,
      param: 'body',
    });

  // The stream's Last-Event-ID.
  for (const id of ['abc', '-1', '1.5', '0x10', huge])
    cases.push({
      name: `Last-Event-ID ${id.slice(0, 10)}`,
      path: '/api/v1/alerts/stream',
      headers: { 'last-event-id': id },
      status: 400,
      param: 'Last-Event-ID',
    });
  return cases;
}
