/** Configuration from flags and environment: flags win, every problem reported at once. */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../core/config.js';

describe('parseConfig', () => {
  it('has the contract defaults', () => {
    const r = parseConfig([], {});
    expect(r.ok && r.value).toMatchObject({
      registry: null,
      dataDir: './data',
      sim: true,
      mqttPort: 1883,
      httpPort: 3000,
      influx: null,
    });
  });

  it('takes flags over environment variables', () => {
    const r = parseConfig(['--http-port', '8080', '--no-sim', '--data=/tmp/x'], {
      HTTP_PORT: '9000',
      MQTT_PORT: '1884',
      SIM: 'on',
    });
    expect(r.ok && r.value).toMatchObject({ httpPort: 8080, mqttPort: 1884, sim: false, dataDir: '/tmp/x' });
  });

  it('reads InfluxDB settings from the environment', () => {
    const r = parseConfig(['--influx-url', 'http://127.0.0.1:8086/'], {
      INFLUX_TOKEN: 't',
      INFLUX_BUCKET: 'db/rp',
    });
    expect(r.ok && r.value.influx).toEqual({
      url: 'http://127.0.0.1:8086',
      token: 't',
      org: undefined,
      bucket: 'db/rp',
    });
  });

  it('reports every bad flag at once', () => {
    const r = parseConfig(['--mqtt-port', 'abc', '--bogus', '--http-port', '70000', '--registry'], {
      SIM: 'maybe',
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues.map((i) => i.message)).toEqual([
      'unknown flag "--bogus"',
      '--registry needs a value',
      'SIM must be on or off, got "maybe"',
      '--mqtt-port must be a port number 0–65535, got "abc"',
      '--http-port must be a port number 0–65535, got "70000"',
    ]);
  });

  it('refuses a flag value that is another flag, and an InfluxDB URL that is not http', () => {
    const r = parseConfig(['--data', '--no-sim', '--influx-url', 'influx:8086'], {});
    expect(r.ok ? [] : r.issues.map((i) => i.path)).toEqual(['--data', '--influx-url']);
  });
});

describe('parseConfig: broker settings', () => {
  it('has broker defaults: WebSocket on 8083, no TLS, in-memory sessions, a generous device rate', () => {
    const r = parseConfig([], {});
    expect(r.ok && r.value.broker).toEqual({
      wsPort: 8083,
      tls: null,
      redisUrl: null,
      deviceRate: 20,
      deviceBurst: 200,
    });
  });

  it('follows an ephemeral MQTT port with an ephemeral WebSocket port, and can turn it off', () => {
    const eph = parseConfig(['--mqtt-port', '0'], {});
    expect(eph.ok && eph.value.broker.wsPort).toBe(0);
    const off = parseConfig([], { WS_PORT: 'off' });
    expect(off.ok && off.value.broker.wsPort).toBe(null);
  });

  it('reads TLS, Redis and the rate limit from the environment', () => {
    const r = parseConfig([], {
      TLS_CERT: '/etc/wl/cert.pem',
      TLS_KEY: '/etc/wl/key.pem',
      REDIS_URL: 'redis://:secret@10.0.0.5:6379/2',
      DEVICE_RATE: '0',
      DEVICE_BURST: '50',
    });
    expect(r.ok && r.value.broker).toMatchObject({
      tls: { port: 8883, cert: '/etc/wl/cert.pem', key: '/etc/wl/key.pem' },
      redisUrl: 'redis://:secret@10.0.0.5:6379/2',
      deviceRate: 0,
      deviceBurst: 50,
    });
  });

  it('reports a certificate without a key, a bad Redis URL and a bad rate together', () => {
    const r = parseConfig(['--tls-cert', 'c.pem', '--redis-url', 'http://x', '--device-rate', '-1'], {});
    expect(r.ok ? [] : r.issues.map((i) => i.path)).toEqual(['--tls-cert', '--redis-url', '--device-rate']);
  });
});

describe('parseConfig: flags through parseArgs', () => {
  it('asks for the demo registry with --demo or DEMO=1, never together with a registry file', () => {
    const none = parseConfig([], {});
    expect(none.ok && none.value.demo).toBe(false);
    const flag = parseConfig(['--demo'], {});
    expect(flag.ok && flag.value.demo).toBe(true);
    const envOn = parseConfig([], { DEMO: '1' });
    expect(envOn.ok && envOn.value.demo).toBe(true);
    const both = parseConfig(['--demo', '--registry', 'r.json', '--demo=yes'], { DEMO: 'maybe' });
    expect(both.ok ? [] : both.issues.map((i) => `${i.path}: ${i.message}`)).toEqual([
      '--demo: --demo takes no value',
      '--demo: --demo (DEMO) and --registry (REGISTRY) exclude each other: the demo registry is for trying waterline',
    ]);
    const bad = parseConfig([], { DEMO: 'maybe' });
    expect(bad.ok ? [] : bad.issues.map((i) => i.message)).toEqual(['DEMO must be 1 or 0, got "maybe"']);
  });

  it('names unknown short flags and stray words, and a bad WebSocket port, all in one answer', () => {
    const r = parseConfig(['-x', 'stray', '--ws-port=abc', '--no-sim=1', '--log-level', 'loud'], {});
    expect(r.ok ? [] : r.issues.map((i) => i.message)).toEqual([
      'unknown flag "-x"',
      'unknown flag "stray"',
      '--no-sim takes no value',
      '--log-level must be one of fatal, error, warn, info, debug, trace, silent',
      '--ws-port must be a port number 0–65535, got "abc"',
    ]);
  });

  it('answers --help or -h with the usage, whatever else is given', () => {
    for (const argv of [['--help'], ['--bogus', '-h']]) {
      const r = parseConfig(argv, {});
      expect(!r.ok && r.issues[0]?.path).toBe('help');
    }
  });
});
