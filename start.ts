/** `npm start`: the whole platform in one process with the embedded store and the demo registry. */

import { resolve } from 'node:path';
import { createPushSubscriptions } from './api/push-subscriptions.js';
import { createUserStore } from './api/users.js';
import { createWebPushChannel } from './api/web-push-channel.js';
import { keyToPrint } from './bin/api-key.js';
import { createStore } from './bin/create-store.js';
import { demoAccounts, ensureDemoUsers, writeDemoCredentials } from './bin/demo-accounts.js';
import { isDemoRegistry } from './bin/demo-registry.js';
import { loadOrCreateDemoSecret } from './bin/demo-secret-file.js';
import { loadRegistry } from './bin/load-registry.js';
import { createLogger } from './bin/logger.js';
import { startPlatform } from './bin/platform.js';
import { checkPortFree } from './bin/ports.js';
import { loadOrCreateVapid } from './bin/vapid-file.js';
import { parseConfig } from './core/config.js';
import type { Registry } from './core/registry.js';
import { formatIssues, type Issue } from './core/result.js';
import { rekeyDemoRegistry } from './devices-sim/demo-rekey.js';
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
  // The demo's keys and device tokens derive from a secret made for this data folder on first start
  // (or DEMO_SECRET), never the published one, so nobody can compute this demo's admin key.
  const demo = isDemoRegistry(config.registry)
    ? loadOrCreateDemoSecret(config.dataDir, process.env.DEMO_SECRET || undefined)
    : null;
  const rekey = (r: Registry) => (demo ? rekeyDemoRegistry(r, demo.secret) : r);
  const printed = keyToPrint(rekey(registry.value), demo?.secret);
  const users = createUserStore(resolve(config.dataDir, 'users.db'));
  const accounts = demo ? demoAccounts(printed.registry, demo.secret) : [];
  await ensureDemoUsers(users, accounts);
  const store = await createStore(config, log);
  const vapid = loadOrCreateVapid(config.dataDir, process.env);
  const subscriptions = createPushSubscriptions(resolve(config.dataDir, 'users.db'));
  const push = {
    publicKey: vapid.publicKey,
    subscriptions,
    channel: createWebPushChannel({ vapid, subscriptions, log: log.child({ svc: 'push' }) }),
  };
  const platform = await startPlatform({
    config,
    registry: printed.registry,
    store,
    log,
    demoSecret: demo?.secret,
    users,
    push,
  });
  const host = config.host === '0.0.0.0' ? '127.0.0.1' : config.host;
  const http = `http://${host}:${platform.httpPort}`;
  console.log(
    [
      '',
      'waterline is running',
      `  MQTT   mqtt://${host}:${platform.mqttPort}`,
      ...(platform.wsPort !== null ? [`  MQTT over WebSocket   ws://${host}:${platform.wsPort}`] : []),
      ...(platform.tlsPort !== null ? [`  MQTT over TLS   mqtts://${host}:${platform.tlsPort}`] : []),
      `  HTTP   ${http}   (pages: open it in a browser and sign in)`,
      ...(demo ? demoLines(accounts, writeDemoCredentials(config.dataDir, accounts)) : []),
      `  key    ${printed.key}   (${printed.note})`,
      ...(registry.value.file.notify?.demoInbox
        ? [`  inbox  ${http}/demo/inbox   (notifications the demo sends to itself)`]
        : []),
      `  try    curl -H 'Authorization: Bearer ${printed.key}' ${http}/api/v1/devices`,
      `  store  ${config.influx ? config.influx.url : `${config.dataDir} (embedded)`}; simulator ${config.sim ? 'on' : 'off'}`,
      ...(config.host === '127.0.0.1'
        ? ['  only this machine can connect; --host 0.0.0.0 opens it to the network']
        : []),
      '',
    ].join('\n'),
  );

  // SIGHUP re-reads the registry for broker, ingest and API; an invalid one is refused and logged.
  // The key printed above may exist only in this process (a run-only admin key): it is kept.
  const added = [...printed.registry.apiKeysByHash].filter(
    ([hash]) => !rekey(registry.value).apiKeysByHash.has(hash),
  );
  const unwatch = watchRegistryReload(config.registry, log, (next: Registry) => {
    const keyed = rekey(next);
    platform.reload({ ...keyed, apiKeysByHash: new Map([...keyed.apiKeysByHash, ...added]) });
  });

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
        .then(() => users.close())
        .then(() => subscriptions.close())
        .then(
          () => resolve(0),
          () => resolve(1),
        );
    };
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
  });
}

/** Every demo sign-in: admin and planner in full, the county operators in the credentials file. */
function demoLines(accounts: ReturnType<typeof demoAccounts>, file: string): string[] {
  const line = (a: (typeof accounts)[number]) =>
    `  ${a.role.padEnd(8)} name ${a.user}  password ${a.password}  API key ${a.key}`;
  const people = accounts.filter((a) => a.role !== 'operator');
  const ops = accounts.filter((a) => a.role === 'operator');
  return [
    '  demo sign-ins (a secret made for this data folder; delete its demo-secret file for new ones):',
    ...people.map(line),
    ...ops.slice(0, 1).map(line),
    `  every sign-in, one operator per county (${ops.length}): ${resolve(file)}`,
  ];
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
