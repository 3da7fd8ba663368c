/** /healthz, /readyz, /metrics, /openapi.json and /docs through app.request(). */
import { afterEach, describe, expect, it } from 'vitest';
import { type ApiFixture, createFixture, json } from './fixture.js';

describe('operations routes', () => {
  let f: ApiFixture;
  afterEach(() => f.close());

  it('reports ready when the store answers and the broker is connected, 503 otherwise', async () => {
    let connected = true;
    f = createFixture({ brokerConnected: () => connected });
    const ok = await f.app.request('/readyz');
    expect(ok.status).toBe(200);
    expect(await json(ok)).toEqual({ status: 'ready', checks: { store: 'ok', broker: 'ok' } });
    connected = false;
    const down = await f.app.request('/readyz');
    expect(down.status).toBe(503);
    expect(await json(down)).toMatchObject({ checks: { broker: 'disconnected' } });
    connected = true;
    await f.store.close();
    const noStore = await f.app.request('/readyz');
    expect(noStore.status).toBe(503);
    expect(((await json(noStore)).checks as Record<string, string>).store).toMatch(/^unreachable/);
    // /healthz only says the process answers.
    expect((await f.app.request('/healthz')).status).toBe(200);
  });

  it('counts requests and latencies by route pattern, not by raw path', async () => {
    f = createFixture({ metrics: () => '# HELP broker_clients Connected clients\nbroker_clients 3\n' });
    await f.call('/api/v1/alerts');
    await f.call('/api/v1/alerts/one');
    await f.call('/api/v1/alerts/two');
    await f.call('/api/v1/alerts', { key: null });
    await f.call('/no/such/thing', { key: null });
    const res = await f.app.request('/metrics');
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await res.text();
    expect(text).toContain(
      'waterline_http_requests_total{method="GET",route="/api/v1/alerts",status="200"} 1',
    );
    expect(text).toContain(
      'waterline_http_requests_total{method="GET",route="/api/v1/alerts/:id",status="404"} 2',
    );
    expect(text).toContain(
      'waterline_http_requests_total{method="GET",route="/api/v1/alerts",status="401"} 1',
    );
    expect(text).toContain('route="unmatched",status="404"} 1');
    expect(text).toMatch(
      /waterline_http_request_duration_seconds_bucket\{le="0.001",method="GET",route="\/api\/v1\/alerts"\}/,
    );
    expect(text).toContain('waterline_alert_stream_clients 0');
    expect(text).toContain('broker_clients 3');
    expect(text).not.toContain('/api/v1/alerts/one');
  });

  it('documents every route in an OpenAPI 3.1 document', async () => {
    f = createFixture();
    const doc = await json<{
      openapi: string;
      paths: Record<
        string,
        Record<string, { parameters: { name: string; in: string }[]; security?: unknown[] }>
      >;
      components: { schemas: Record<string, unknown> };
    }>(await f.app.request('/openapi.json'));
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/api/v1/alerts',
      '/api/v1/alerts/stream',
      '/api/v1/alerts/{id}',
      '/api/v1/alerts/{id}/ack',
      '/api/v1/alerts/{id}/resolve',
      '/api/v1/coverage',
      '/api/v1/coverage/history',
      '/api/v1/devices',
      '/api/v1/devices/{id}/readings',
      '/api/v1/incidents',
      '/api/v1/incidents/{id}',
      '/api/v1/reports/monthly',
      '/api/v1/samples',
      '/docs',
      '/healthz',
      '/metrics',
      '/openapi.json',
      '/readyz',
    ]);
    const list = doc.paths['/api/v1/alerts']!.get!;
    expect(list.parameters.map((p) => p.name).sort()).toEqual(
      [
        'acknowledged',
        'active',
        'county',
        'cursor',
        'device',
        'limit',
        'severity',
        'since',
        'suppressed',
      ].sort(),
    );
    expect(doc.paths['/healthz']!.get!.security).toEqual([]);
    expect(doc.paths['/api/v1/coverage']!.get!.parameters.map((p) => p.name)).toContain('groupBy');
    for (const name of ['Alert', 'AlertEvent', 'AlertPage', 'Coverage', 'Indicator', 'Problem', 'Readings'])
      expect(doc.components.schemas[name], name).toBeDefined();
    expect(JSON.stringify(doc)).not.toContain('"$ref":"#/$defs');
    expect(doc.paths['/api/v1/coverage']!.get!.parameters.map((p) => p.name)).toContain('period');
    const samples = doc.paths['/api/v1/samples'] as unknown as Record<
      string,
      { requestBody?: { content: object } }
    >;
    expect(Object.keys(samples.post!.requestBody!.content)).toEqual([
      'application/json',
      'text/csv',
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    ]);
    for (const name of ['LabSample', 'SampleReport', 'CoverageHistory'])
      expect(doc.components.schemas[name], name).toBeDefined();
  });

  it('serves the interactive reference from the package, with no external URL', async () => {
    f = createFixture();
    const page = await (await f.app.request('/docs')).text();
    expect(page).toContain('swagger-ui-bundle.js');
    expect(page).not.toMatch(/https?:\/\//);
    for (const asset of [
      'swagger-ui-bundle.js',
      'swagger-ui-standalone-preset.js',
      'swagger-ui.css',
      'init.js',
    ]) {
      const res = await f.app.request(`/docs/${asset}`);
      expect(res.status, asset).toBe(200);
      expect((await res.arrayBuffer()).byteLength).toBeGreaterThan(100);
    }
    expect(await (await f.app.request('/docs/init.js')).text()).toContain("url: '/openapi.json'");
  });
});
