/** `npm run broker`: the MQTT broker alone, configured by environment (MQTT_PORT, INGEST_PASSWORD, API_PASSWORD). */
import { requirePassword, runService } from '../bin/run-service.js';
import { createBroker } from './create-broker.js';
import { listenTcp } from './listen.js';

runService('broker', async ({ config, registry, log }) => {
  const services = {
    ingest: requirePassword(config.ingestPassword, 'INGEST_PASSWORD'),
    api: requirePassword(config.apiPassword, 'API_PASSWORD'),
  };
  const broker = await createBroker({ registry: () => registry, services, log });
  const listener = await listenTcp(broker, config.mqttPort, config.host);
  log.info({ port: listener.port }, 'broker listening');
  return {
    async stop() {
      await listener.close();
      await broker.close();
    },
  };
});
