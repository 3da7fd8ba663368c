/** The simulator's flags and environment, parsed once with every problem reported together. */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { type FlagDef, readFlags } from '../core/flags.js';
import { MAX_AGE_MS } from '../core/reading.js';
import { err, type Issue, ok, type Result } from '../core/result.js';
import { parseTime } from '../core/time.js';
import { parseFaultFlag, Scenario, type ScenarioEntry } from './faults.js';
import { parseFor } from './scenario-resolve.js';

export interface SimConfig {
  mqttUrl: string;
  registry: string | null;
  /** `--demo` / `DEMO=1`: run the bundled demo registry when no registry is given. */
  demo: boolean;
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
const FLAG_DEFS: Record<string, FlagDef> = {
  ...Object.fromEntries(Object.keys(FLAGS).map((f) => [f, { takesValue: true }])),
  '--fault': { takesValue: true, multiple: true },
  '--demo': { takesValue: false },
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
  --registry FILE       registry JSON (REGISTRY)
  --demo                run the bundled demo registry, whose keys anyone can derive (DEMO=1)
  --log-level LEVEL     pino level (LOG_LEVEL; default info)`;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** An optional flag's value through `read`, which returns the value or a message saying what is wrong. */
const flag = <T>(fallback: T, read: (raw: string) => { value: T } | string) =>
  z
    .string()
    .optional()
    .transform((raw, ctx): T => {
      if (raw === undefined) return fallback;
      const r = read(raw);
      if (typeof r === 'string') {
        ctx.addIssue({ code: 'custom', message: r });
        return fallback;
      }
      return r.value;
    });
const int = (name: string, min: number, max: number) =>
  flag<number | null>(null, (raw) =>
    /^\d+$/.test(raw) && Number(raw) >= min && Number(raw) <= max
      ? { value: Number(raw) }
      : `${name} must be an integer ${min}–${max}, got "${raw}"`,
  );

/** The simulator's settings as given (flag or environment), each checked, keyed by flag. */
function simInput(now: number) {
  return z.object({
    '--scenario': z.string().optional(),
    '--registry': z.string().optional(),
    '--county': z.string().optional(),
    '--scheme': z.string().optional(),
    '--truth': z.string().optional(),
    '--stale-clock': z
      .enum(['wall', 'readings'], {
        error: (i) => `--stale-clock must be wall or readings, got "${String(i.input)}"`,
      })
      .default('wall'),
    '--start': flag<number | null>(null, (raw) => {
      const at = /^-\d{1,9}[smhd]$/.test(raw) ? now - parseFor(raw.slice(1)) : parseTime(raw);
      if (at === null) return `--start must be RFC 3339, epoch ms or -<n>[smhd], got "${raw}"`;
      // Readings older than 30 days are refused by ingest (CONTRACT §3); keep an hour to spare.
      if (at < now - MAX_AGE_MS + 3_600_000 || at > now)
        return '--start must be in the past, less than 29 days and 23 hours ago';
      return { value: at };
    }),
    '--speed': flag(1, (raw) => {
      const speed = Number(raw);
      return Number.isFinite(speed) && speed >= 1 && speed <= 100_000
        ? { value: speed }
        : `--speed must be a number 1–100000, got "${raw}"`;
    }),
    '--duration': flag<number | null>(null, (raw) =>
      /^\d{1,9}[smhd]$/.test(raw) && parseFor(raw) > 0
        ? { value: parseFor(raw) }
        : `--duration must be <n>s, <n>m, <n>h or <n>d, got "${raw}"`,
    ),
    '--log-level': z
      .enum(LOG_LEVELS, { error: () => `--log-level must be one of ${LOG_LEVELS.join(', ')}` })
      .default('info'),
    '--seed': int('--seed', 0, 2 ** 32 - 1),
    '--devices': int('--devices', 1, 1_000_000),
  });
}

const SCENARIO_DIR = fileURLToPath(new URL('./scenarios/', import.meta.url));

export function parseSimConfig(argv: readonly string[], env: Env, now = Date.now()): Result<SimConfig> {
  const flags = readFlags(argv, FLAG_DEFS, ' (see --help)');
  if (flags.help) return err([{ path: 'help', message: SIM_USAGE }]);
  const issues: Issue[] = [...flags.issues];
  const set: Record<string, string> = {};
  for (const [flag, name] of Object.entries(FLAGS)) if (name && env[name]) set[flag] = env[name]!;
  for (const [flag, values] of flags.values)
    if (flag !== '--fault' && flag !== '--demo') set[flag] = values.at(-1)!;
  const faultFlags = flags.values.get('--fault') ?? [];
  const demo = flags.values.has('--demo') || ['1', 'on', 'true'].includes(env.DEMO ?? '');

  const checkedInput = simInput(now).safeParse(set);
  if (!checkedInput.success)
    for (const x of checkedInput.error.issues) issues.push({ path: String(x.path[0]), message: x.message });
  const input = checkedInput.success ? checkedInput.data : null;
  if (input && input['--speed'] > 1 && input['--start'] === null) {
    issues.push({
      path: '--speed',
      message: '--speed needs --start: only a replay of the past can run ahead of the clock',
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

  if (issues.length > 0 || !input) return err(issues);
  return ok({
    mqttUrl: env.MQTT_URL || 'mqtt://127.0.0.1:1883',
    registry: input['--registry'] ?? null,
    demo,
    logLevel: input['--log-level'],
    scenario: { name: scenarioName, entries },
    start: input['--start'],
    speed: input['--speed'],
    durationMs: input['--duration'],
    seed: input['--seed'] ?? 1,
    devices: input['--devices'],
    county: input['--county'] ?? null,
    scheme: input['--scheme'] ?? null,
    truth: input['--truth'] ?? (entries.length > 0 ? 'sim-truth.jsonl' : null),
    staleClock: input['--stale-clock'],
  });
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
