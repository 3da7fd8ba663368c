/** The shared life cycle of a service entry point: config, registry, logger, signals and exit codes. */
import type { Logger } from 'pino';
import { type Config, parseConfig } from '../core/config.js';
import type { Registry } from '../core/registry.js';
import { formatIssues } from '../core/result.js';
import { keyDemoRegistry } from './demo-registry.js';
import { loadRegistry, requireRegistryChoice } from './load-registry.js';
import { createLogger } from './logger.js';

export interface ServiceContext {
  config: Config;
  registry: Registry;
  log: Logger;
}

export interface Running {
  stop(): Promise<void>;
}

const STOP_TIMEOUT_MS = 10_000;

/** Runs a service until SIGINT or SIGTERM; bad configuration exits 2 before anything starts. */
export function runService(name: string, start: (ctx: ServiceContext) => Promise<Running>): void {
  const parsed = parseConfig(process.argv.slice(2), process.env);
  if (!parsed.ok) {
    const help = parsed.issues[0]?.path === 'help';
    (help ? console.log : console.error)(
      help ? parsed.issues[0]!.message : `${name}: bad configuration:\n${formatIssues(parsed.issues)}`,
    );
    process.exit(help ? 0 : 2);
  }
  const choice = requireRegistryChoice(parsed.value.registry, parsed.value.demo);
  if (!choice.ok) {
    console.error(`${name}: cannot start:\n${formatIssues(choice.issues)}`);
    process.exit(2);
  }
  const registry = loadRegistry(choice.value);
  if (!registry.ok) {
    console.error(`${name}: invalid registry:\n${formatIssues(registry.issues)}`);
    process.exit(2);
  }
  const log = createLogger(parsed.value.logLevel, name);
  // The demo registry's keys come from the data folder's demo secret, the same one `npm start` makes.
  const keyed = keyDemoRegistry(
    registry.value,
    parsed.value.registry,
    parsed.value.dataDir,
    process.env,
  ).registry;
  start({ config: parsed.value, registry: keyed, log }).then(
    (running) => {
      const shutdown = (signal: string) => {
        log.info({ signal }, 'stopping');
        setTimeout(() => process.exit(1), STOP_TIMEOUT_MS).unref();
        running.stop().then(
          () => process.exit(0),
          (e: unknown) => {
            log.error({ err: e }, 'stop failed');
            process.exit(1);
          },
        );
      };
      process.once('SIGINT', shutdown);
      process.once('SIGTERM', shutdown);
    },
    (e: unknown) => {
      log.fatal({ err: e }, `${name} failed to start`);
      process.exit(1);
    },
  );
}

/** A service-account password from the environment; the separate services cannot share a generated one. */
export function requirePassword(value: string | null, env: string): string {
  if (value === null) throw new Error(`${env} must be set: the broker and this service share it`);
  return value;
}
