/** `npm run ingest`: the ingest service alone, reaching the broker at MQTT_URL as `svc:ingest`; SIGHUP reloads the registry. */
import { createStore } from '../bin/create-store.js';
import { keyedOnReload } from '../bin/demo-registry.js';
import { requirePassword, runService } from '../bin/run-service.js';
import { formatIssues } from '../core/result.js';
import { createIngest } from './create-ingest.js';
import { parseIngestConfig } from './ingest-config.js';
import { serveMetrics } from './metrics-server.js';
import { watchRegistryReload } from './registry-reload.js';

runService('ingest', async ({ config, registry, log }) => {
  const own = parseIngestConfig(process.env);
  if (!own.ok) throw new Error(`bad configuration:\n${formatIssues(own.issues)}`);
  const store = await createStore(config, log);
  let current = registry;
  const ingest = await createIngest({
    mqttUrl: config.mqttUrl,
    password: requirePassword(config.ingestPassword, 'INGEST_PASSWORD'),
    registry: () => current,
    store,
    log,
    dataDir: config.dataDir,
    spoolMaxBytes: own.value.spoolMaxBytes,
    highWater: own.value.highWater,
    writeTimeoutMs: own.value.writeTimeoutMs,
    staleClock: own.value.staleClock,
  });
  const unwatch = watchRegistryReload(
    config.registry,
    log,
    keyedOnReload(config, process.env, (next) => {
      current = next;
    }),
  );
  const metrics =
    own.value.metricsPort === null
      ? null
      : await serveMetrics(own.value.metricsPort, config.host, ingest.metrics);
  log.info({ mqttUrl: config.mqttUrl, metricsPort: metrics?.port ?? 'off' }, 'ingest running');
  return {
    async stop() {
      unwatch();
      await metrics?.close();
      await ingest.stop();
      await store.close();
    },
  };
});
