/**
 * `npm run broker`: one waterline node, the broker with ingest in its publish path, configured by the
 * environment (MQTT_PORT, WS_PORT, TLS_*, REDIS_URL, INFLUX_URL, ...). Several nodes behind a TCP load
 * balancer share Redis and InfluxDB. SIGHUP reloads the registry and closes revoked connections.
 * INGEST=off runs the broker alone, relaying telemetry to subscribers (for `npm run ingest`).
 */
import { createStore } from '../bin/create-store.js';
import { keyedOnReload } from '../bin/demo-registry.js';
import { startNode } from '../bin/node.js';
import { requirePassword, runService } from '../bin/run-service.js';
import { formatIssues } from '../core/result.js';
import { parseIngestConfig } from '../ingest/ingest-config.js';
import { serveMetrics } from '../ingest/metrics-server.js';
import { watchRegistryReload } from '../ingest/registry-reload.js';
import { startBroker } from './start-broker.js';

runService('broker', async ({ config, registry, log }) => {
  const own = parseIngestConfig(process.env);
  if (!own.ok) throw new Error(`bad configuration:\n${formatIssues(own.issues)}`);
  const services = {
    ingest: requirePassword(config.ingestPassword, 'INGEST_PASSWORD'),
    api: requirePassword(config.apiPassword, 'API_PASSWORD'),
  };
  let current = registry;
  if (process.env.INGEST === 'off') {
    const relay = await startBroker({
      config: config.broker,
      mqttPort: config.mqttPort,
      host: config.host,
      registry: () => current,
      services,
      log,
    });
    const unwatch = watchRegistryReload(
      config.registry,
      log,
      keyedOnReload(config, process.env, (next) => {
        current = next;
        relay.broker.revokeStale();
      }),
    );
    return {
      async stop() {
        unwatch();
        await relay.stop();
      },
    };
  }
  const store = await createStore(config, log);
  const node = await startNode({ config, registry: () => current, store, services, log, ingest: own.value });
  const unwatch = watchRegistryReload(
    config.registry,
    log,
    keyedOnReload(config, process.env, (next) => {
      current = next;
      const closed = node.mqtt.broker.revokeStale();
      if (closed > 0) log.info({ closed }, 'closed connections the new registry no longer accepts');
    }),
  );
  const metrics =
    own.value.metricsPort === null
      ? null
      : await serveMetrics(own.value.metricsPort, config.host, node.metrics);
  return {
    async stop() {
      unwatch();
      await metrics?.close();
      await node.stop();
      await store.close();
    },
  };
});
