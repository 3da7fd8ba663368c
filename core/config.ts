/** Configuration from command-line flags and the environment, parsed once, every problem reported at once. */
import { z } from 'zod';
import { type FlagDef, readFlags } from './flags.js';
import { err, type Issue, ok, type Result } from './result.js';

export interface Config {
  /** The registry file; `null` = none given (`npm start` then uses the demo registry, the services need `demo`). */
  registry: string | null;
  /** `--demo` / `DEMO=1`: the split services may run the bundled demo registry, whose keys anyone can derive. */
  demo: boolean;
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
  /** The board's public address for links in notifications (BOARD_URL); `null` = this host's HTTP port. */
  boardUrl: string | null;
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

const FLAG_ENV: Record<string, FlagDef & { env: string }> = {
  '--registry': { env: 'REGISTRY', takesValue: true },
  '--data': { env: 'DATA_DIR', takesValue: true },
  '--mqtt-port': { env: 'MQTT_PORT', takesValue: true },
  '--http-port': { env: 'HTTP_PORT', takesValue: true },
  '--influx-url': { env: 'INFLUX_URL', takesValue: true },
  '--host': { env: 'HOST', takesValue: true },
  '--log-level': { env: 'LOG_LEVEL', takesValue: true },
  '--no-sim': { env: 'SIM', takesValue: false },
  '--demo': { env: 'DEMO', takesValue: false },
  '--ws-port': { env: 'WS_PORT', takesValue: true },
  '--tls-port': { env: 'TLS_PORT', takesValue: true },
  '--tls-cert': { env: 'TLS_CERT', takesValue: true },
  '--tls-key': { env: 'TLS_KEY', takesValue: true },
  '--redis-url': { env: 'REDIS_URL', takesValue: true },
  '--device-rate': { env: 'DEVICE_RATE', takesValue: true },
  '--device-burst': { env: 'DEVICE_BURST', takesValue: true },
  '--board-url': { env: 'BOARD_URL', takesValue: true },
};

export const USAGE = `Usage: npm start -- [options]
  --registry FILE     registry JSON (REGISTRY; default: the bundled demo registry for npm start only)
  --demo              let a single service (npm run broker|ingest|api|sim) run the demo registry (DEMO=1)
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
  --device-burst N    messages a device may send at once above its rate (DEVICE_BURST; default 200)
  --board-url URL     the board's address in notification links (BOARD_URL; default http://127.0.0.1:<http port>)`;

const SWITCH = ['on', 'off', 'true', 'false', '1', '0'] as const;
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** A string that must match `ok`, or an issue naming the flag and what was given. */
const checked = (ok: (v: string) => boolean, message: (v: string) => string) =>
  z.string().refine(ok, { error: (i) => message(String(i.input)) });
const isPort = (v: string) => /^\d+$/.test(v) && Number(v) <= 65535;
const port = (flag: string) =>
  checked(isPort, (v) => `${flag} must be a port number 0–65535, got "${v}"`).transform(Number);
const count = (flag: string) =>
  checked(
    (v) => /^\d+$/.test(v),
    (v) => `${flag} must be a whole number >= 0, got "${v}"`,
  ).transform(Number);

/**
 * The settings as given (flag or environment), each checked on its own. Keyed by flag, in the order
 * problems are listed; cross-field rules (TLS needs both files, `--demo` excludes `--registry`) follow.
 */
const ConfigInput = z.object({
  '--registry': z.string().optional(),
  '--data': z.string().optional(),
  '--host': z.string().optional(),
  '--no-sim': checked(
    (v) => (SWITCH as readonly string[]).includes(v),
    (v) => `SIM must be on or off, got "${v}"`,
  ).optional(),
  '--demo': checked(
    (v) => (SWITCH as readonly string[]).includes(v),
    (v) => `DEMO must be 1 or 0, got "${v}"`,
  ).optional(),
  '--influx-url': checked(
    (v) => /^https?:\/\/[^/\s]+/.test(v),
    (v) => `--influx-url must be an http(s) URL, got "${v}"`,
  ).optional(),
  '--log-level': z
    .enum(LOG_LEVELS, { error: () => `--log-level must be one of ${LOG_LEVELS.join(', ')}` })
    .optional(),
  '--ws-port': checked(
    (v) => v === 'off' || isPort(v),
    (v) => `--ws-port must be a port number 0–65535, got "${v}"`,
  )
    .transform((v) => (v === 'off' ? ('off' as const) : Number(v)))
    .optional(),
  '--tls-cert': z.string().optional(),
  '--tls-key': z.string().optional(),
  '--tls-port': port('--tls-port').optional(),
  '--redis-url': checked(
    (v) => /^rediss?:\/\/[^\s]+$/.test(v),
    (v) => `--redis-url must be a redis:// or rediss:// URL, got "${v}"`,
  ).optional(),
  '--device-rate': count('--device-rate').optional(),
  '--device-burst': count('--device-burst').optional(),
  '--board-url': checked(
    (v) => /^https?:\/\/[^/\s]+/.test(v),
    (v) => `--board-url must be an http(s) URL, got "${v}"`,
  ).optional(),
  '--mqtt-port': port('--mqtt-port').optional(),
  '--http-port': port('--http-port').optional(),
});
type ConfigInput = z.infer<typeof ConfigInput>;

/** Where an issue is reported: the environment variable for the switches set by value (SIM=off). */
const ISSUE_PATH: Record<string, string> = { '--no-sim': 'SIM', '--demo': 'DEMO' };
const ORDER = Object.keys(ConfigInput.shape);

// Defaults for the per-device limit: devices report every `intervalS` (typically 60 s), so 20 msg/s
// with a burst of 200 only bites on a broken or hostile device, and still lets one drain a backlog.
const DEFAULT_DEVICE_RATE = 20;
const DEFAULT_DEVICE_BURST = 200;

/**
 * Flags win over the environment. `--help` is reported as the issue "help" so the caller can print
 * usage and exit 0 without a special path.
 */
export function parseConfig(argv: readonly string[], env: Env): Result<Config> {
  const flags = readFlags(argv, FLAG_ENV);
  if (flags.help) return err([{ path: 'help', message: USAGE }]);
  const raw: Record<string, string> = {};
  for (const [flag, spec] of Object.entries(FLAG_ENV)) {
    const v = env[spec.env];
    if (v !== undefined && v !== '') raw[flag] = v;
  }
  for (const [flag, values] of flags.values) {
    raw[flag] = FLAG_ENV[flag]!.takesValue ? values.at(-1)! : flag === '--no-sim' ? 'off' : 'on';
  }

  const checkedInput = ConfigInput.safeParse(raw);
  const problems: Issue[] = checkedInput.success
    ? []
    : checkedInput.error.issues.map((i) => {
        const key = String(i.path[0] ?? '');
        return { path: ISSUE_PATH[key] ?? key, message: i.message };
      });
  if ((raw['--tls-cert'] === undefined) !== (raw['--tls-key'] === undefined)) {
    problems.push({
      path: '--tls-cert',
      message: 'TLS needs both --tls-cert (TLS_CERT) and --tls-key (TLS_KEY)',
    });
  }
  const demo = raw['--demo'] === 'on' || raw['--demo'] === 'true' || raw['--demo'] === '1';
  if (demo && raw['--registry'] !== undefined) {
    problems.push({
      path: '--demo',
      message:
        '--demo (DEMO) and --registry (REGISTRY) exclude each other: the demo registry is for trying waterline',
    });
  }
  const rank = (i: Issue) =>
    ORDER.indexOf(Object.keys(ISSUE_PATH).find((k) => ISSUE_PATH[k] === i.path) ?? i.path);
  problems.sort((a, b) => rank(a) - rank(b));
  const issues = [...flags.issues, ...problems];
  if (!checkedInput.success || issues.length > 0) return err(issues);
  return ok(toConfig(checkedInput.data, raw, env, demo));
}

function toConfig(c: ConfigInput, raw: Record<string, string>, env: Env, demo: boolean): Config {
  const sim = c['--no-sim'];
  let influx: InfluxConfig | null = null;
  if (c['--influx-url'] !== undefined) {
    influx = {
      url: c['--influx-url'].replace(/\/+$/, ''),
      bucket: env.INFLUX_BUCKET || 'waterline',
      token: env.INFLUX_TOKEN || undefined,
      org: env.INFLUX_ORG || undefined,
    };
  }
  // An ephemeral MQTT port (tests, side-by-side runs) must not pin the WebSocket listener to a fixed one.
  const wsDefault = raw['--mqtt-port'] !== undefined && /^0+$/.test(raw['--mqtt-port']) ? 0 : 8083;
  const ws = c['--ws-port'];
  const cert = c['--tls-cert'];
  const key = c['--tls-key'];
  return {
    registry: c['--registry'] ?? null,
    demo,
    dataDir: c['--data'] ?? './data',
    sim: !(sim === 'off' || sim === 'false' || sim === '0'),
    mqttPort: c['--mqtt-port'] ?? 1883,
    httpPort: c['--http-port'] ?? 3000,
    // Loopback unless asked: the demo must not be reachable from the network by default.
    host: c['--host'] ?? '127.0.0.1',
    influx,
    logLevel: c['--log-level'] ?? 'info',
    mqttUrl: env.MQTT_URL || `mqtt://127.0.0.1:${raw['--mqtt-port'] ?? 1883}`,
    ingestPassword: env.INGEST_PASSWORD || null,
    apiPassword: env.API_PASSWORD || null,
    broker: {
      wsPort: ws === 'off' ? null : (ws ?? wsDefault),
      tls: cert !== undefined && key !== undefined ? { port: c['--tls-port'] ?? 8883, cert, key } : null,
      redisUrl: c['--redis-url'] ?? null,
      deviceRate: c['--device-rate'] ?? DEFAULT_DEVICE_RATE,
      deviceBurst: c['--device-burst'] ?? DEFAULT_DEVICE_BURST,
    },
    boardUrl: c['--board-url'] ?? null,
  };
}
