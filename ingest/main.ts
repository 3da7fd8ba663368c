/** `npm run ingest`: the ingest service alone, reaching the broker at MQTT_URL as `svc:ingest`. */
import { createStore } from '../bin/create-store.js';
import { requirePassword, runService } from '../bin/run-service.js';
import { createIngest } from './create-ingest.js';

runService('ingest', async ({ config, registry, log }) => {
  const store = await createStore(config);
  const ingest = await createIngest({
    mqttUrl: config.mqttUrl,
    password: requirePassword(config.ingestPassword, 'INGEST_PASSWORD'),
    registry: () => registry,
    store,
    log,
  });
  log.info({ mqttUrl: config.mqttUrl }, 'ingest running');
  return {
    async stop() {
      await ingest.stop();
      await store.close();
    },
  };
});
