/** Configuration from command-line flags and the environment, parsed once, every problem reported at once. */
import { err, type Issue, ok, type Result } from './result.js';

export interface Config {
  registry: string | null;
  dataDir: string;
  sim: boolean;
  mqttPort: number;
  httpPort: number;
  host: string;
  influx: InfluxConfig | null;
  logLevel: string;
  /** Where ingest, the API and the simulator reach the broker when run as separate services. */
  mqttUrl: string;
  /** Service-account passwords (INGEST_PASSWORD, API_PASSWORD); `null` = generate one per process. */
  ingestPassword: string | null;
  apiPassword: string | null;
  broker: BrokerConfig;
}

/** Broker listeners, limits and scale-out backend. */
export interface BrokerConfig {
  /** MQTT over WebSocket; `null` = off. Defaults to 8083, or to 0 (a free port) when `--mqtt-port` is 0. */
  wsPort: number | null;
  /** MQTT over TLS, only when both `tlsCert` and `tlsKey` are set. */
  tls: { port: number; cert: string; key: string } | null;
  /** `redis://` or `rediss://` URL: shared persistence and message bus; `null` = in memory. */
  redisUrl: string | null;
  /** Sustained messages per second each device may publish (0 = unlimited), and the burst above it. */
  deviceRate: number;
  deviceBurst: number;
}

export interface InfluxConfig {
  url: string;
  token?: string;
  org?: string;
  bucket: string;
}

type Env = Readonly<Record<string, string | undefined>>;

const FLAG_ENV: Record<string, { env: string; value: boolean }> = {
  '--registry': { env: 'REGISTRY', value: true },
  '--data': { env: 'DATA_DIR', value: true },
  '--mqtt-port': { env: 'MQTT_PORT', value: true },
  '--http-port': { env: 'HTTP_PORT', value: true },
  '--influx-url': { env: 'INFLUX_URL', value: true },
  '--host': { env: 'HOST', value: true },
  '--log-level': { env: 'LOG_LEVEL', value: true },
  '--no-sim': { env: 'SIM', value: false },
  '--ws-port': { env: 'WS_PORT', value: true },
  '--tls-port': { env: 'TLS_PORT', value: true },
  '--tls-cert': { env: 'TLS_CERT', value: true },
  '--tls-key': { env: 'TLS_KEY', value: true },
  '--redis-url': { env: 'REDIS_URL', value: true },
  '--device-rate': { env: 'DEVICE_RATE', value: true },
  '--device-burst': { env: 'DEVICE_BURST', value: true },
};

export const USAGE = `Usage: npm start -- [options]
  --registry FILE     registry JSON (REGISTRY; default: the bundled demo registry)
  --data DIR          embedded store directory (DATA_DIR; default ./data)
  --no-sim            do not run the device simulator (SIM=off)
  --mqtt-port N       MQTT listener port (MQTT_PORT; default 1883)
  --http-port N       HTTP listener port (HTTP_PORT; default 3000)
  --host ADDR         address to listen on (HOST; default 127.0.0.1; 0.0.0.0 = every interface)
  --influx-url URL    InfluxDB URL (INFLUX_URL; unset = embedded store), with INFLUX_TOKEN, INFLUX_ORG, INFLUX_BUCKET
  --log-level LEVEL   pino level (LOG_LEVEL; default info)
  --ws-port N|off     MQTT over WebSocket port (WS_PORT; default 8083, a free port when --mqtt-port is 0)
  --tls-cert FILE     PEM certificate for MQTT over TLS (TLS_CERT), with --tls-key FILE (TLS_KEY)
  --tls-port N        MQTT over TLS port (TLS_PORT; default 8883)
  --redis-url URL     Redis for broker sessions and scale-out (REDIS_URL; unset = in memory)
  --device-rate N     messages per second each device may publish (DEVICE_RATE; default 20, 0 = unlimited)
  --device-burst N    messages a device may send at once above its rate (DEVICE_BURST; default 200)`;

/**
 * Flags win over the environment. `--help` is reported as the issue "help" so the caller can print
 * usage and exit 0 without a special path.
 */
export function parseConfig(argv: readonly string[], env: Env): Result<Config> {
  const issues: Issue[] = [];
  const set: Record<string, string> = {};
  for (const [flag, spec] of Object.entries(FLAG_ENV)) {
    const v = env[spec.env];
    if (v !== undefined && v !== '') set[flag] = v;
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') return err([{ path: 'help', message: USAGE }]);
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    const spec = FLAG_ENV[name];
    if (!spec) {
      issues.push({ path: name, message: `unknown flag "${name}"` });
      continue;
    }
    if (!spec.value) {
      if (eq > 0) issues.push({ path: name, message: `${name} takes no value` });
      else set[name] = 'off';
      continue;
    }
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined || (eq < 0 && value.startsWith('--'))) {
      issues.push({ path: name, message: `${name} needs a value` });
      if (value !== undefined) i--;
      continue;
    }
    set[name] = value;
  }

  const port = (flag: string, fallback: number): number => {
    const raw = set[flag];
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!/^\d+$/.test(raw) || n > 65535) {
      issues.push({ path: flag, message: `${flag} must be a port number 0–65535, got "${raw}"` });
    }
    return n;
  };
  const sim = set['--no-sim'];
  if (sim !== undefined && !['on', 'off', 'true', 'false', '1', '0'].includes(sim)) {
    issues.push({ path: 'SIM', message: `SIM must be on or off, got "${sim}"` });
  }
  const influxUrl = set['--influx-url'];
  let influx: InfluxConfig | null = null;
  if (influxUrl !== undefined) {
    if (!/^https?:\/\/[^/\s]+/.test(influxUrl)) {
      issues.push({
        path: '--influx-url',
        message: `--influx-url must be an http(s) URL, got "${influxUrl}"`,
      });
    }
    const bucket = env.INFLUX_BUCKET || 'waterline';
    influx = {
      url: influxUrl.replace(/\/+$/, ''),
      bucket,
      token: env.INFLUX_TOKEN || undefined,
      org: env.INFLUX_ORG || undefined,
    };
  }
  const logLevel = set['--log-level'] ?? 'info';
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) {
    issues.push({
      path: '--log-level',
      message: `--log-level must be one of fatal, error, warn, info, debug, trace, silent`,
    });
  }
  const broker = parseBroker(set, issues, port);
  const config: Config = {
    registry: set['--registry'] ?? null,
    dataDir: set['--data'] ?? './data',
    sim: !(sim === 'off' || sim === 'false' || sim === '0'),
    mqttPort: port('--mqtt-port', 1883),
    httpPort: port('--http-port', 3000),
    // Loopback unless asked: the demo must not be reachable from the network by default.
    host: set['--host'] ?? '127.0.0.1',
    influx,
    logLevel,
    mqttUrl: env.MQTT_URL || `mqtt://127.0.0.1:${set['--mqtt-port'] ?? 1883}`,
    ingestPassword: env.INGEST_PASSWORD || null,
    apiPassword: env.API_PASSWORD || null,
    broker,
  };
  return issues.length > 0 ? err(issues) : ok(config);
}

// Defaults for the per-device limit: devices report every `intervalS` (typically 60 s), so 20 msg/s
// with a burst of 200 only bites on a broken or hostile device, and still lets one drain a backlog.
const DEFAULT_DEVICE_RATE = 20;
const DEFAULT_DEVICE_BURST = 200;

function parseBroker(
  set: Record<string, string>,
  issues: Issue[],
  port: (flag: string, fallback: number) => number,
): BrokerConfig {
  const mqttPort = set['--mqtt-port'];
  const ws = set['--ws-port'];
  // An ephemeral MQTT port (tests, side-by-side runs) must not pin the WebSocket listener to a fixed one.
  const wsDefault = mqttPort !== undefined && /^0+$/.test(mqttPort) ? 0 : 8083;
  const wsPort = ws === 'off' ? null : port('--ws-port', wsDefault);
  const cert = set['--tls-cert'];
  const key = set['--tls-key'];
  if ((cert === undefined) !== (key === undefined)) {
    issues.push({
      path: '--tls-cert',
      message: 'TLS needs both --tls-cert (TLS_CERT) and --tls-key (TLS_KEY)',
    });
  }
  const tlsPort = port('--tls-port', 8883);
  const redisUrl = set['--redis-url'] ?? null;
  if (redisUrl !== null && !/^rediss?:\/\/[^\s]+$/.test(redisUrl)) {
    issues.push({
      path: '--redis-url',
      message: `--redis-url must be a redis:// or rediss:// URL, got "${redisUrl}"`,
    });
  }
  const count = (flag: string, fallback: number): number => {
    const raw = set[flag];
    if (raw === undefined) return fallback;
    if (!/^\d+$/.test(raw))
      issues.push({ path: flag, message: `${flag} must be a whole number >= 0, got "${raw}"` });
    return Number(raw);
  };
  return {
    wsPort,
    tls: cert !== undefined && key !== undefined ? { port: tlsPort, cert, key } : null,
    redisUrl,
    deviceRate: count('--device-rate', DEFAULT_DEVICE_RATE),
    deviceBurst: count('--device-burst', DEFAULT_DEVICE_BURST),
  };
}
