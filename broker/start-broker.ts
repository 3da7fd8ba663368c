/** Builds the broker from configuration and opens its listeners: what `npm run broker` and `npm start` share. */
import type { Logger } from 'pino';
import type { BrokerConfig } from '../core/config.js';
import type { Registry } from '../core/registry.js';
import type { ServicePasswords } from './authenticate.js';
import { createBroker, type InPathIngest, type WaterlineBroker } from './create-broker.js';
import { type Listening, listenTcp } from './listen.js';
import { listenTls } from './listen-tls.js';
import { listenWebSocket } from './listen-ws.js';
import { createRedisBackends, redactUrl } from './redis-backends.js';

export interface StartBrokerDeps {
  config: BrokerConfig;
  mqttPort: number;
  host: string;
  registry: () => Registry;
  services: ServicePasswords;
  log: Logger;
  /** Ingest in the publish path (a node); absent for a broker that only relays. */
  ingest?: InPathIngest;
  beforeDevice?: (deviceId: string) => Promise<void>;
}

export interface RunningBroker {
  broker: WaterlineBroker;
  mqttPort: number;
  /** `null` when that listener is off. */
  wsPort: number | null;
  tlsPort: number | null;
  /** Stops accepting, disconnects every client (publishing their offline status), flushes persistence. */
  stop(): Promise<void>;
}

export async function startBroker(deps: StartBrokerDeps): Promise<RunningBroker> {
  const { config, log } = deps;
  const backends = config.redisUrl ? await createRedisBackends(config.redisUrl, log) : undefined;
  const broker = await createBroker({
    registry: deps.registry,
    services: deps.services,
    log,
    backends,
    deviceRate: { perSecond: config.deviceRate, burst: config.deviceBurst },
    ingest: deps.ingest,
    beforeDevice: deps.beforeDevice,
  });
  const listeners: Listening[] = [];
  const stop = async () => {
    const closed = listeners.map((l) => l.close());
    await broker.close();
    await Promise.all(closed);
  };
  try {
    const tcp = await listenTcp(broker, deps.mqttPort, deps.host);
    listeners.push(tcp);
    const ws = config.wsPort === null ? null : await listenWebSocket(broker, config.wsPort, deps.host);
    if (ws) listeners.push(ws);
    const tls = config.tls ? await listenTls(broker, config.tls.port, deps.host, config.tls) : null;
    if (tls) listeners.push(tls);
    log.info(
      {
        mqtt: tcp.port,
        ws: ws?.port ?? 'off',
        tls: tls?.port ?? 'off',
        persistence: config.redisUrl ? redactUrl(config.redisUrl) : 'memory',
        deviceRate: config.deviceRate || 'unlimited',
      },
      'broker listening',
    );
    return { broker, mqttPort: tcp.port, wsPort: ws?.port ?? null, tlsPort: tls?.port ?? null, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
