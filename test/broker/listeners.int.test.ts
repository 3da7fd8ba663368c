/** The broker from configuration: TCP, WebSocket and TLS listeners, one authenticated device on each. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type IClientOptions } from 'mqtt';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningBroker, startBroker } from '../../broker/start-broker.js';
import { parseConfig } from '../../core/config.js';
import { parseRegistry } from '../../core/registry.js';
import { topics } from '../../core/topics.js';
import { SERVICE_PASSWORDS } from '../helpers/broker.js';
import { smallRegistry, token } from '../helpers/small-registry.js';

let dir: string;
let running: RunningBroker;
let cert: Buffer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wl-tls-'));
  // A throwaway self-signed certificate for 127.0.0.1, made by Debian's openssl.
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
    ],
    { stdio: 'ignore' },
  );
  cert = readFileSync(join(dir, 'cert.pem'));
  const config = parseConfig(
    [
      ...['--mqtt-port', '0', '--ws-port', '0', '--tls-port', '0', '--host', '127.0.0.1'],
      ...['--tls-cert', join(dir, 'cert.pem'), '--tls-key', join(dir, 'key.pem')],
    ],
    {},
  );
  const registry = parseRegistry(smallRegistry());
  if (!config.ok || !registry.ok) throw new Error('bad fixture');
  running = await startBroker({
    config: config.value.broker,
    mqttPort: config.value.mqttPort,
    host: config.value.host,
    registry: () => registry.value,
    services: SERVICE_PASSWORDS,
    log: pino({ level: process.env.TEST_LOG ?? 'silent' }),
  });
});
afterAll(async () => {
  await running?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** A device publishes on `url`; the ingest account, on plain TCP, must receive it. */
async function roundTrip(url: string, extra: IClientOptions = {}): Promise<string> {
  const ingest = await mqtt.connectAsync(`mqtt://127.0.0.1:${running.mqttPort}`, {
    clientId: 'svc:ingest:listeners',
    username: 'svc:ingest',
    password: SERVICE_PASSWORDS.ingest,
    reconnectPeriod: 0,
  });
  try {
    await ingest.subscribeAsync(topics.allTelemetry, { qos: 1 });
    const got = new Promise<string>((resolve) => ingest.once('message', (t, p) => resolve(`${t} ${p}`)));
    const dev = await mqtt.connectAsync(url, {
      clientId: 'd-0001',
      username: 'd-0001',
      password: token('d-0001'),
      reconnectPeriod: 0,
      ...extra,
    });
    await dev.publishAsync(topics.telemetry('d-0001'), '{"ts":1,"values":{"ph":7}}', { qos: 1 });
    await dev.endAsync();
    return await got;
  } finally {
    await ingest.endAsync(true);
  }
}

describe('broker listeners', () => {
  it('opens a WebSocket and a TLS listener beside TCP when configured', () => {
    expect(running.wsPort).toBeGreaterThan(0);
    expect(running.tlsPort).toBeGreaterThan(0);
  });

  it('carries MQTT over WebSocket', async () => {
    expect(await roundTrip(`ws://127.0.0.1:${running.wsPort}/mqtt`)).toBe(
      'wl/v1/d-0001/telemetry {"ts":1,"values":{"ph":7}}',
    );
  });

  it('carries MQTT over TLS', async () => {
    expect(await roundTrip(`mqtts://127.0.0.1:${running.tlsPort}`, { ca: cert })).toBe(
      'wl/v1/d-0001/telemetry {"ts":1,"values":{"ph":7}}',
    );
  });

  it('refuses an unknown device on the WebSocket listener too', async () => {
    const code = await new Promise<number>((resolve) => {
      const c = mqtt.connect(`ws://127.0.0.1:${running.wsPort}/mqtt`, {
        clientId: 'd-0404',
        username: 'd-0404',
        password: 'x',
        reconnectPeriod: 0,
      });
      c.once('error', (e) => {
        c.end(true);
        resolve((e as { code?: number }).code ?? -1);
      });
    });
    expect(code).toBe(4);
  });

  it('counts connections, messages and bytes for Prometheus', async () => {
    const text = await running.broker.metrics();
    expect(text).toMatch(/^waterline_broker_messages_in_total [1-9]/m);
    expect(text).toMatch(/^waterline_broker_bytes_in_total [1-9]/m);
    expect(text).toMatch(/^waterline_broker_auth_refused_total\{reason="bad_credentials"\} 1$/m);
    expect(text).not.toContain(token('d-0001'));
  });
});
