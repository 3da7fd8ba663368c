/** The whole platform in one process: broker, ingest, API and (optionally) the simulator, wired together. */
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { createApp } from '../api/create-app.js';
import { listenHttp } from '../api/serve.js';
import { createStatusTracker } from '../api/status-tracker.js';
import { startBroker } from '../broker/start-broker.js';
import type { Config } from '../core/config.js';
import type { Registry } from '../core/registry.js';
import { startPlatformSim } from '../devices-sim/platform-sim.js';
import { createIngest } from '../ingest/create-ingest.js';
import type { TelemetryStore } from '../store/telemetry-store.js';

export interface Platform {
  mqttPort: number;
  /** MQTT over WebSocket and over TLS; `null` when off. */
  wsPort: number | null;
  tlsPort: number | null;
  httpPort: number;
  /** The broker's Prometheus metrics (text format), for the API's /metrics. */
  brokerMetrics(): string;
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
    const mqtt = await startBroker({
      config: config.broker,
      mqttPort: config.mqttPort,
      host: config.host,
      registry,
      services,
      log: log.child({ svc: 'broker' }),
    });
    stops.push(() => mqtt.stop());
    const mqttUrl = `mqtt://127.0.0.1:${mqtt.mqttPort}`;

    const ingest = await createIngest({
      mqttUrl,
      password: services.ingest,
      registry,
      store,
      log: log.child({ svc: 'ingest' }),
      dataDir: config.dataDir,
      // A replay judged on simulated time (INGEST_STALE_CLOCK=readings, with the simulator's --stale-clock).
      ...(process.env.INGEST_STALE_CLOCK === 'readings' ? { staleClock: 'readings' as const } : {}),
    });
    stops.push(() => ingest.stop());

    const status = await createStatusTracker({
      mqttUrl,
      password: services.api,
      log: log.child({ svc: 'api' }),
    });
    stops.push(() => status.stop());
    const app = createApp({
      registry,
      store,
      online: status.online,
      brokerConnected: status.connected,
      publishAlertEvent: status.publishAlertEvent,
      metrics: () => mqtt.broker.metrics() + ingest.metrics(),
      log: log.child({ svc: 'api' }),
    });
    const http = await listenHttp(app, config.httpPort, config.host);
    stops.push(() => http.close());

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
      mqttPort: mqtt.mqttPort,
      wsPort: mqtt.wsPort,
      tlsPort: mqtt.tlsPort,
      httpPort: http.port,
      brokerMetrics: () => mqtt.broker.metrics(),
      reload(next) {
        current = next;
      },
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}
