/** `npm run sim`: the device simulator alone, connecting the selected devices to the broker at MQTT_URL. */
import { isDemoRegistry } from '../bin/demo-registry.js';
import { loadOrCreateDemoSecret } from '../bin/demo-secret-file.js';
import { loadRegistry, requireRegistryChoice } from '../bin/load-registry.js';
import { createLogger } from '../bin/logger.js';
import { formatIssues, type Issue } from '../core/result.js';
import { createSim } from './create-sim.js';
import { demoDeviceToken } from './demo-secret.js';
import { resolveScenario } from './scenario-resolve.js';
import { selectDevices } from './select-devices.js';
import { parseSimConfig } from './sim-config.js';

const STOP_TIMEOUT_MS = 10_000;

async function main(): Promise<number> {
  const parsed = parseSimConfig(process.argv.slice(2), process.env);
  if (!parsed.ok && parsed.issues[0]?.path === 'help') {
    console.log(parsed.issues[0].message);
    return 0;
  }
  const problems: Issue[] = parsed.ok ? [] : [...parsed.issues];
  const choice = requireRegistryChoice(
    parsed.ok ? parsed.value.registry : process.env.REGISTRY || null,
    parsed.ok ? parsed.value.demo : true,
  );
  if (!choice.ok) problems.push(...choice.issues);
  const registry = choice.ok ? loadRegistry(choice.value) : choice;
  if (!registry.ok && choice.ok) problems.push(...registry.issues);
  const config = parsed.ok ? parsed.value : null;
  const devices = config && registry.ok ? selectDevices(registry.value, config) : null;
  if (devices && !devices.ok) problems.push(...devices.issues);
  const simStart = config?.start ?? Date.now();
  const faults =
    config && registry.ok && devices?.ok
      ? resolveScenario({
          registry: registry.value,
          devices: devices.value,
          entries: config.scenario.entries,
          seed: config.seed,
          simStart,
        })
      : null;
  if (faults && !faults.ok) problems.push(...faults.issues);
  if (problems.length > 0 || !config || !registry.ok || !devices?.ok || !faults?.ok) {
    console.error(`sim: cannot start:\n${formatIssues(problems).replace(/^/gm, '  ')}`);
    return 2;
  }

  const log = createLogger(config.logLevel, 'sim');
  // The demo devices' tokens come from the demo secret in the platform's data folder (DATA_DIR).
  const secret = isDemoRegistry(parsed.ok ? parsed.value.registry : process.env.REGISTRY || null)
    ? loadOrCreateDemoSecret(process.env.DATA_DIR || './data', process.env.DEMO_SECRET || undefined).secret
    : process.env.DEMO_SECRET || undefined;
  const sim = await createSim({
    mqttUrl: config.mqttUrl,
    registry: registry.value,
    tokenFor: (id) => demoDeviceToken(id, secret),
    log,
    seed: config.seed,
    deviceIds: devices.value.map((d) => d.id),
    start: config.start ?? undefined,
    speed: config.speed,
    durationMs: config.durationMs,
    faults: faults.value,
    truthPath: config.truth,
    staleClock: config.staleClock,
  });
  if (config.truth) log.info({ truth: config.truth, scenario: config.scenario.name }, 'ground truth written');

  return new Promise<number>((resolve) => {
    const shutdown = (why: string) => {
      log.info({ why, generated: sim.generated(), published: sim.published() }, 'stopping');
      setTimeout(() => resolve(1), STOP_TIMEOUT_MS).unref();
      sim.stop().then(
        () => resolve(0),
        () => resolve(1),
      );
    };
    void sim.finished.then(() => shutdown('done'));
    process.once('SIGINT', () => shutdown('SIGINT'));
    process.once('SIGTERM', () => shutdown('SIGTERM'));
  });
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(`sim: ${(e as Error).message}`);
    process.exit(1);
  },
);
