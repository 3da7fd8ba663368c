/** /metrics serves the API's, the broker's and ingest's prom-client registries as one valid exposition. */
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { createApiMetrics } from '../../api/metrics.js';
import { createBrokerMetrics } from '../../broker/metrics.js';
import { createCounters, ingestMetricsRegistry, renderMetrics } from '../../ingest/ingest-metrics.js';

interface Family {
  help: string;
  type: string;
  samples: { name: string; labels: Record<string, string>; value: number }[];
}

/** A strict reader of the text format 0.0.4: every line must parse, every family is declared once. */
function parseExposition(text: string): Map<string, Family> {
  const families = new Map<string, Family>();
  const seen = new Set<string>();
  let current: string | null = null;
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const meta = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$/.exec(line);
    if (meta) {
      const [, kind, name, rest] = meta as unknown as [string, 'HELP' | 'TYPE', string, string];
      const key = `${kind} ${name}`;
      if (seen.has(key)) throw new Error(`duplicate ${key}`);
      seen.add(key);
      const f = families.get(name) ?? { help: '', type: '', samples: [] };
      if (kind === 'HELP') f.help = rest;
      else {
        if (!['counter', 'gauge', 'histogram', 'summary', 'untyped'].includes(rest)) throw new Error(line);
        f.type = rest;
      }
      families.set(name, f);
      current = name;
      continue;
    }
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!sample) throw new Error(`unparseable line: ${line}`);
    const [, name, labelText, raw] = sample as unknown as [string, string, string | undefined, string];
    const family = [...families.keys()].find(
      (f) =>
        name === f ||
        (families.get(f)!.type === 'histogram' &&
          /^_(bucket|sum|count)$/.test(name.slice(f.length)) &&
          name.startsWith(f)),
    );
    if (family === undefined || family !== current) throw new Error(`sample outside its family: ${line}`);
    const labels: Record<string, string> = {};
    for (const m of (labelText ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g))
      labels[m[1]!] = m[2]!;
    // The text format allows NaN (any case): a gauge of event-loop delay has none before its first sample.
    const value =
      raw === '+Inf' ? Number.POSITIVE_INFINITY : /^nan$/i.test(raw ?? '') ? Number.NaN : Number(raw);
    if (Number.isNaN(value) && !/^nan$/i.test(raw ?? '')) throw new Error(`not a number: ${line}`);
    families.get(family)!.samples.push({ name, labels, value });
  }
  for (const [name, f] of families) if (!f.help || !f.type) throw new Error(`${name} lacks HELP or TYPE`);
  return families;
}

describe('metrics exposition', () => {
  it('serves API, broker and ingest metrics as one exposition with each family declared once', async () => {
    const broker = createBrokerMetrics(() => 500);
    broker.messageIn();
    broker.messageIn();
    broker.authRefused('bad_credentials');
    broker.clientConnected('device');
    broker.clientDisconnected('device', 100);
    const counters = createCounters();
    counters.messages = 7;
    counters.rejected['not-json'] = 2;
    counters.raised['chlorine-plant'] = 1;
    counters.alertDelay.observe(0.004);
    const gauges = { spoolBytes: 10, spoolRecords: 1, waiting: 3, activeAlerts: 4, connected: true };
    const metrics = createApiMetrics({
      streamClients: () => 2,
      registries: [broker.registry, ingestMetricsRegistry(counters, () => gauges)],
    });
    const app = new Hono();
    app.use('*', metrics.middleware);
    app.route('/', metrics.routes);
    await app.request('/metrics');
    const res = await app.request('/metrics');
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const families = parseExposition(await res.text());
    const one = (name: string, labels: Record<string, string> = {}) =>
      families.get(name)?.samples.find((s) => JSON.stringify(s.labels) === JSON.stringify(labels))?.value;

    expect(families.get('waterline_http_requests_total')?.type).toBe('counter');
    expect(one('waterline_alert_stream_clients')).toBe(2);
    expect(one('waterline_broker_messages_in_total')).toBe(2);
    expect(one('waterline_broker_auth_refused_total', { reason: 'bad_credentials' })).toBe(1);
    expect(one('waterline_broker_clients', { kind: 'device' })).toBe(0);
    expect(one('waterline_broker_bytes_out_total')).toBe(600);
    expect(one('waterline_ingest_messages_total')).toBe(7);
    expect(one('waterline_ingest_readings_rejected_total', { reason: 'not-json' })).toBe(2);
    expect(one('waterline_ingest_alerts_raised_total', { rule: 'chlorine-plant' })).toBe(1);
    expect(one('waterline_ingest_readings_waiting')).toBe(3);
    expect(one('waterline_ingest_connected')).toBe(1);
    const delay = families.get('waterline_ingest_alert_delay_seconds')!;
    expect(delay.type).toBe('histogram');
    expect(delay.samples.find((s) => s.name.endsWith('_count'))?.value).toBe(1);
    expect(delay.samples.find((s) => s.labels.le === '0.005')?.value).toBe(1);
    expect(delay.samples.find((s) => s.labels.le === '0.002')?.value).toBe(0);
  });

  it('keeps two instances in one process apart, each with its own counts', async () => {
    const a = createBrokerMetrics(() => 0);
    const b = createBrokerMetrics(() => 0);
    a.messageIn();
    expect(
      parseExposition(await a.render()).get('waterline_broker_messages_in_total')?.samples[0]?.value,
    ).toBe(1);
    expect(
      parseExposition(await b.render()).get('waterline_broker_messages_in_total')?.samples[0]?.value,
    ).toBe(0);
    const c1 = createCounters();
    const c2 = createCounters();
    c1.stored = 5;
    const g = { spoolBytes: 0, spoolRecords: 0, waiting: 0, activeAlerts: 0, connected: false };
    const stored = async (c: typeof c1) =>
      parseExposition(await renderMetrics(c, g)).get('waterline_ingest_readings_stored_total')?.samples[0]
        ?.value;
    expect([await stored(c1), await stored(c2)]).toEqual([5, 0]);
  });
});
