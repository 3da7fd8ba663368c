/**
 * The whole platform in one process: a node (broker with ingest in its publish path), the API and
 * (optionally) the simulator. Nothing inside travels over a loopback MQTT connection but the simulated
 * devices, which connect as devices do.
 */
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { createCoverageHistory } from '../api/coverage-history.js';
import { type AppDeps, createApp } from '../api/create-app.js';
import { listenHttp } from '../api/serve.js';
import type { UserStore } from '../api/users.js';
import type { Config } from '../core/config.js';
import type { Registry } from '../core/registry.js';
import { startPlatformSim } from '../devices-sim/platform-sim.js';
import { createNotifier } from '../notify/create-notifier.js';
import { createDemoInbox } from '../notify/demo-inbox.js';
import type { TelemetryStore } from '../store/telemetry-store.js';
import { startNode } from './node.js';

export interface Platform {
  mqttPort: number;
  /** MQTT over WebSocket and over TLS; `null` when off. */
  wsPort: number | null;
  tlsPort: number | null;
  httpPort: number;
  /** The broker's Prometheus metrics (text format), for the API's /metrics. */
  brokerMetrics(): Promise<string>;
  /** Replaces the registry of the broker, ingest and API (SIGHUP); alert state is kept. */
  reload(registry: Registry): void;
  stop(): Promise<void>;
}

export interface PlatformDeps {
  config: Config;
  registry: Registry;
  store: TelemetryStore;
  log: Logger;
  demoSecret?: string;
  /** People's accounts, sessions and audit log for the API (api/users.ts). */
  users?: UserStore;
  /** Web Push subscriptions and channel for the API (api/web-push-channel.ts). */
  push?: AppDeps['push'];
}

export async function startPlatform(deps: PlatformDeps): Promise<Platform> {
  const { config, store, log } = deps;
  let current = deps.registry;
  const registry = () => current;
  // Service accounts live only in this process unless the environment fixes them.
  const services = {
    ingest: config.ingestPassword ?? randomBytes(24).toString('hex'),
    api: config.apiPassword ?? randomBytes(24).toString('hex'),
  };
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const s of stops.reverse()) {
      await s().catch((e: unknown) => log.warn({ err: e }, 'error while stopping'));
    }
  };
  try {
    // Notifications: follows every stored AlertEvent (ingest's and the API's); it also marks alerts raised
    // inside a maintenance window before they are written.
    let boardUrl = config.boardUrl ?? '';
    const notifier = createNotifier({
      registry,
      store,
      dataDir: config.dataDir,
      log: log.child({ svc: 'notify' }),
      boardUrl: () => boardUrl,
    });
    stops.push(() => notifier.stop());

    // Alert events judged here reach the API's stream at once, not at its next poll of the store.
    let wakeStream = () => {};
    const node = await startNode({
      config,
      registry,
      store,
      services,
      log,
      isSuppressed: notifier.isSuppressed,
      onAlertEvents: () => wakeStream(),
      // A replay judged on simulated time (INGEST_STALE_CLOCK=readings, with the simulator's --stale-clock).
      ...(process.env.INGEST_STALE_CLOCK === 'readings'
        ? { ingest: { staleClock: 'readings' as const } }
        : {}),
    });
    stops.push(() => node.stop());
    const mqttUrl = `mqtt://${connectHost(config.host)}:${node.mqtt.mqttPort}`;
    const app = createApp({
      maintenance: notifier.maintenance,
      demoInbox: current.file.notify?.demoInbox ? createDemoInbox() : undefined,
      registry,
      store,
      online: node.online,
      ingestNotReady: node.notReady,
      publishAlertEvent: (e) => {
        node.publishAlertEvent(e);
        wakeStream();
      },
      wakeAlertStream: (wake) => {
        wakeStream = wake;
      },
      metrics: node.metrics,
      // The bus brings it too (and from other nodes); told at once here so the next Reading sees it.
      onAlertResolved: (alert) => void node.ingest.runner.resolved(alert),
      log: log.child({ svc: 'api' }),
      users: deps.users,
      push: deps.push,
    });
    const http = await listenHttp(app, config.httpPort, config.host);
    stops.push(() => http.close());
    boardUrl ||= `http://${connectHost(config.host)}:${http.port}`;
    notifier.start();
    // Coverage history: one snapshot per local day (api/coverage-history.ts).
    const history = createCoverageHistory({
      store,
      registry,
      clock: Date.now,
      log: log.child({ svc: 'history' }),
    });
    stops.push(() => history.stop());

    if (config.sim) {
      // Live by default; SIM_SCENARIO, SIM_START, SIM_SPEED... (see `npm run sim -- --help`) change that.
      const sim = await startPlatformSim({
        mqttUrl,
        registry: deps.registry,
        log: log.child({ svc: 'sim' }),
        demoSecret: deps.demoSecret,
      });
      stops.push(() => sim.stop());
    }
    return {
      mqttPort: node.mqtt.mqttPort,
      wsPort: node.mqtt.wsPort,
      tlsPort: node.mqtt.tlsPort,
      httpPort: http.port,
      brokerMetrics: () => node.mqtt.broker.metrics(),
      reload(next) {
        current = next;
        node.mqtt.broker.revokeStale();
      },
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** Where this process reaches its own listener: a wildcard bind is reached on loopback, any other address as is. */
export function connectHost(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::' || host === '[::]') return '[::1]';
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}
