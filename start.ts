/** `npm start`: the whole platform in one process with the embedded store and the demo registry. */

import { keyToPrint } from './bin/api-key.js';
import { createStore } from './bin/create-store.js';
import { loadRegistry } from './bin/load-registry.js';
import { createLogger } from './bin/logger.js';
import { startPlatform } from './bin/platform.js';
import { checkPortFree } from './bin/ports.js';
import { parseConfig } from './core/config.js';
import type { Registry } from './core/registry.js';
import { formatIssues, type Issue } from './core/result.js';
import { watchRegistryReload } from './ingest/registry-reload.js';

const STOP_TIMEOUT_MS = 10_000;

async function main(): Promise<number> {
  const parsed = parseConfig(process.argv.slice(2), process.env);
  if (!parsed.ok && parsed.issues[0]?.path === 'help') {
    console.log(parsed.issues[0].message);
    return 0;
  }
  const problems: Issue[] = parsed.ok ? [] : [...parsed.issues];
  const config = parsed.ok ? parsed.value : null;
  const registry = loadRegistry(config?.registry ?? registryFlag(process.argv));
  if (!registry.ok) problems.push(...registry.issues);
  if (config) {
    const ports: [string, number][] = [
      ['--mqtt-port', config.mqttPort],
      ['--http-port', config.httpPort],
    ];
    if (config.broker.wsPort !== null) ports.push(['--ws-port', config.broker.wsPort]);
    if (config.broker.tls) ports.push(['--tls-port', config.broker.tls.port]);
    for (const [flag, port] of ports) {
      const why = await checkPortFree(port, config.host);
      if (why) problems.push({ path: flag, message: why });
    }
  }
  if (problems.length > 0 || !config || !registry.ok) {
    console.error(`waterline: cannot start:\n${formatIssues(problems).replace(/^/gm, '  ')}`);
    return 2;
  }

  const log = createLogger(config.logLevel, 'waterline');
  const demoSecret = process.env.DEMO_SECRET || undefined;
  const printed = keyToPrint(registry.value, demoSecret);
  const store = await createStore(config);
  const platform = await startPlatform({ config, registry: printed.registry, store, log, demoSecret });
  const host = config.host === '0.0.0.0' ? '127.0.0.1' : config.host;
  console.log(
    [
      '',
      'waterline is running',
      `  MQTT   mqtt://${host}:${platform.mqttPort}`,
      ...(platform.wsPort !== null ? [`  MQTT over WebSocket   ws://${host}:${platform.wsPort}`] : []),
      ...(platform.tlsPort !== null ? [`  MQTT over TLS   mqtts://${host}:${platform.tlsPort}`] : []),
      `  HTTP   http://${host}:${platform.httpPort}   (pages: open it in a browser and sign in with the key)`,
      `  key    ${printed.key}   (${printed.note})`,
      ...(registry.value.file.notify?.demoInbox
        ? [
            `  inbox  http://${host}:${platform.httpPort}/demo/inbox   (notifications the demo sends to itself)`,
          ]
        : []),
      `  try    curl -H 'Authorization: Bearer ${printed.key}' http://${host}:${platform.httpPort}/api/v1/devices`,
      `  store  ${config.influx ? config.influx.url : `${config.dataDir} (embedded)`}; simulator ${config.sim ? 'on' : 'off'}`,
      '',
    ].join('\n'),
  );

  // SIGHUP re-reads the registry for broker, ingest and API; an invalid one is refused and logged.
  // The key printed above may exist only in this process (a run-only admin key): it is kept.
  const added = [...printed.registry.apiKeysByHash].filter(
    ([hash]) => !registry.value.apiKeysByHash.has(hash),
  );
  const unwatch = watchRegistryReload(config.registry, log, (next: Registry) =>
    platform.reload({ ...next, apiKeysByHash: new Map([...next.apiKeysByHash, ...added]) }),
  );

  return new Promise<number>((resolve) => {
    const shutdown = (signal: string) => {
      log.info({ signal }, 'stopping');
      unwatch();
      const timer = setTimeout(() => {
        log.error('stop timed out');
        resolve(1);
      }, STOP_TIMEOUT_MS);
      timer.unref();
      platform
        .stop()
        .then(() => store.close())
        .then(
          () => resolve(0),
          () => resolve(1),
        );
    };
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
  });
}

/** The registry named on the command line, for reporting its problems beside bad flags. */
function registryFlag(argv: readonly string[]): string | null {
  const i = argv.indexOf('--registry');
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1]! : process.env.REGISTRY || null;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(`waterline: ${(e as Error).message}`);
    process.exit(1);
  },
);
