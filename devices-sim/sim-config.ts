/** The simulator's flags and environment, parsed once with every problem reported together. */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MAX_AGE_MS } from '../core/reading.js';
import { err, type Issue, ok, type Result } from '../core/result.js';
import { parseTime } from '../core/time.js';
import { parseFaultFlag, Scenario, type ScenarioEntry } from './faults.js';
import { parseFor } from './scenario-resolve.js';

export interface SimConfig {
  mqttUrl: string;
  registry: string | null;
  logLevel: string;
  scenario: { name: string; entries: ScenarioEntry[] };
  /** Replay start, epoch ms; `null` = live. */
  start: number | null;
  speed: number;
  durationMs: number | null;
  seed: number;
  devices: number | null;
  county: string | null;
  scheme: string | null;
  truth: string | null;
  /** `--stale-clock readings`: ingest counts `stale` on the Readings' own time (INGEST_STALE_CLOCK=readings), so the truth does too. */
  staleClock: 'wall' | 'readings';
}

type Env = Readonly<Record<string, string | undefined>>;

const FLAGS: Record<string, string> = {
  '--scenario': 'SIM_SCENARIO',
  '--fault': '',
  '--start': 'SIM_START',
  '--speed': 'SIM_SPEED',
  '--duration': 'SIM_DURATION',
  '--seed': 'SIM_SEED',
  '--devices': 'SIM_DEVICES',
  '--county': 'SIM_COUNTY',
  '--scheme': 'SIM_SCHEME',
  '--truth': 'SIM_TRUTH',
  '--stale-clock': 'INGEST_STALE_CLOCK',
  '--registry': 'REGISTRY',
  '--log-level': 'LOG_LEVEL',
};

export const SIM_USAGE = `Usage: npm run sim -- [options]   (broker at MQTT_URL, default mqtt://127.0.0.1:1883)
  --scenario NAME|FILE  faults to inject: a file, or a name in devices-sim/scenarios/ (SIM_SCENARIO)
  --fault SPEC          one fault, repeatable: kind,key=value,... e.g. burst,site=xiji-s01-p2,at=+10m,for=30m
  --start TIME          replay from a past time: RFC 3339, epoch ms, or -<n>[smhd] before now (SIM_START)
  --speed N             simulated seconds per second during a replay (SIM_SPEED; default 1)
  --duration D          stop after this much simulated time, e.g. 1d (SIM_DURATION)
  --seed N              random seed: the same seed gives the same readings (SIM_SEED; default 1)
  --devices N           only the first N devices (after --county/--scheme) (SIM_DEVICES)
  --county ID           only this county's devices (SIM_COUNTY)
  --scheme ID           only this scheme's devices (SIM_SCHEME)
  --truth FILE          ground truth of the injected faults, JSONL (SIM_TRUTH; default sim-truth.jsonl with faults)
  --stale-clock C       wall (default) or readings: what ingest's stale counts silence on; a replay judged
                        on simulated time needs ingest started with INGEST_STALE_CLOCK=readings too
  --registry FILE       registry JSON (REGISTRY; default: the bundled demo registry)
  --log-level LEVEL     pino level (LOG_LEVEL; default info)`;

const SCENARIO_DIR = fileURLToPath(new URL('./scenarios/', import.meta.url));

export function parseSimConfig(argv: readonly string[], env: Env, now = Date.now()): Result<SimConfig> {
  const issues: Issue[] = [];
  const set: Record<string, string> = {};
  const faultFlags: string[] = [];
  for (const [flag, name] of Object.entries(FLAGS)) if (name && env[name]) set[flag] = env[name]!;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') return err([{ path: 'help', message: SIM_USAGE }]);
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    if (!(name in FLAGS)) {
      issues.push({ path: name, message: `unknown flag "${name}" (see --help)` });
      continue;
    }
    const value = eq > 0 && arg.startsWith('--') ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined || value.startsWith('--')) {
      issues.push({ path: name, message: `${name} needs a value` });
      if (value !== undefined) i--;
      continue;
    }
    if (name === '--fault') faultFlags.push(value);
    else set[name] = value;
  }

  const int = (flag: string, min: number, max: number): number | null => {
    const raw = set[flag];
    if (raw === undefined) return null;
    if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
      issues.push({ path: flag, message: `${flag} must be an integer ${min}–${max}, got "${raw}"` });
      return null;
    }
    return Number(raw);
  };
  let start: number | null = null;
  if (set['--start'] !== undefined) {
    const raw = set['--start'];
    const rel = /^-\d{1,9}[smhd]$/.test(raw) ? now - parseFor(raw.slice(1)) : parseTime(raw);
    if (rel === null)
      issues.push({
        path: '--start',
        message: `--start must be RFC 3339, epoch ms or -<n>[smhd], got "${raw}"`,
      });
    // Readings older than 30 days are refused by ingest (CONTRACT §3); keep an hour to spare.
    else if (rel < now - MAX_AGE_MS + 3_600_000 || rel > now) {
      issues.push({
        path: '--start',
        message: '--start must be in the past, less than 29 days and 23 hours ago',
      });
    } else start = rel;
  }
  let speed = 1;
  if (set['--speed'] !== undefined) {
    speed = Number(set['--speed']);
    if (!Number.isFinite(speed) || speed < 1 || speed > 100_000) {
      issues.push({ path: '--speed', message: `--speed must be a number 1–100000, got "${set['--speed']}"` });
    } else if (speed > 1 && set['--start'] === undefined) {
      issues.push({
        path: '--speed',
        message: '--speed needs --start: only a replay of the past can run ahead of the clock',
      });
    }
  }
  let durationMs: number | null = null;
  if (set['--duration'] !== undefined) {
    if (/^\d{1,9}[smhd]$/.test(set['--duration']) && parseFor(set['--duration']) > 0)
      durationMs = parseFor(set['--duration']);
    else
      issues.push({
        path: '--duration',
        message: `--duration must be <n>s, <n>m, <n>h or <n>d, got "${set['--duration']}"`,
      });
  }
  const staleClock = set['--stale-clock'] ?? 'wall';
  if (staleClock !== 'wall' && staleClock !== 'readings')
    issues.push({
      path: '--stale-clock',
      message: `--stale-clock must be wall or readings, got "${staleClock}"`,
    });
  const logLevel = set['--log-level'] ?? 'info';
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) {
    issues.push({
      path: '--log-level',
      message: '--log-level must be one of fatal, error, warn, info, debug, trace, silent',
    });
  }

  const entries: ScenarioEntry[] = [];
  let scenarioName = 'none';
  if (set['--scenario'] !== undefined) {
    const loaded = loadScenario(set['--scenario']);
    if (loaded.ok) {
      entries.push(...loaded.value.faults);
      scenarioName = loaded.value.name;
    } else issues.push(...loaded.issues);
  }
  faultFlags.forEach((text, i) => {
    const r = Scenario.shape.faults.element.safeParse(parseFaultFlag(text));
    if (r.success) entries.push(r.data);
    else
      for (const x of r.error.issues)
        issues.push({
          path: `--fault[${i}]${x.path.length ? `.${x.path.join('.')}` : ''}`,
          message: x.message,
        });
  });
  if (faultFlags.length > 0 && scenarioName === 'none') scenarioName = 'flags';

  const config: SimConfig = {
    mqttUrl: env.MQTT_URL || 'mqtt://127.0.0.1:1883',
    registry: set['--registry'] ?? null,
    logLevel,
    scenario: { name: scenarioName, entries },
    start,
    speed,
    durationMs,
    seed: int('--seed', 0, 2 ** 32 - 1) ?? 1,
    devices: int('--devices', 1, 1_000_000),
    county: set['--county'] ?? null,
    scheme: set['--scheme'] ?? null,
    truth: set['--truth'] ?? (entries.length > 0 ? 'sim-truth.jsonl' : null),
    staleClock: staleClock === 'readings' ? 'readings' : 'wall',
  };
  return issues.length > 0 ? err(issues) : ok(config);
}

/** A scenario by file path, or by name from devices-sim/scenarios/. */
export function loadScenario(ref: string): Result<Scenario> {
  const path = existsSync(ref) ? ref : `${SCENARIO_DIR}${ref}.json`;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    return err([{ path: '--scenario', message: `cannot read scenario "${ref}": ${(e as Error).message}` }]);
  }
  const r = Scenario.safeParse(json);
  if (r.success) return ok(r.data);
  return err(r.error.issues.map((x) => ({ path: `${path}: ${x.path.join('.')}`, message: x.message })));
}
