/** The simulator as `npm start` runs it: live by default, or with the SIM_* environment (a scenario, a replay). */
import type { Logger } from 'pino';
import type { Registry } from '../core/registry.js';
import { formatIssues } from '../core/result.js';
import { createSim, type Sim } from './create-sim.js';
import { demoDeviceToken } from './demo-secret.js';
import { resolveScenario } from './scenario-resolve.js';
import { selectDevices } from './select-devices.js';
import { parseSimConfig } from './sim-config.js';

export interface PlatformSimDeps {
  mqttUrl: string;
  registry: Registry;
  log: Logger;
  demoSecret?: string;
  env?: Readonly<Record<string, string | undefined>>;
}

/** Starts the simulator; bad SIM_* settings throw with every problem listed, before anything connects. */
export async function startPlatformSim(deps: PlatformSimDeps): Promise<Sim> {
  const parsed = parseSimConfig([], deps.env ?? process.env);
  if (!parsed.ok) throw new Error(`bad simulator settings:\n${formatIssues(parsed.issues)}`);
  const c = parsed.value;
  const devices = selectDevices(deps.registry, c);
  if (!devices.ok) throw new Error(`bad simulator settings:\n${formatIssues(devices.issues)}`);
  const simStart = c.start ?? Date.now();
  const faults = resolveScenario({
    registry: deps.registry,
    devices: devices.value,
    entries: c.scenario.entries,
    seed: c.seed,
    simStart,
  });
  if (!faults.ok) throw new Error(`bad simulator scenario:\n${formatIssues(faults.issues)}`);
  return createSim({
    mqttUrl: deps.mqttUrl,
    registry: deps.registry,
    tokenFor: (id) => demoDeviceToken(id, deps.demoSecret),
    log: deps.log,
    seed: c.seed,
    deviceIds: devices.value.map((d) => d.id),
    start: c.start ?? undefined,
    speed: c.speed,
    durationMs: c.durationMs,
    faults: faults.value,
    truthPath: c.truth,
    staleClock: c.staleClock,
  });
}
