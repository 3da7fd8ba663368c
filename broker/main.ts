/** `npm run broker`: the MQTT broker alone, configured by environment (MQTT_PORT, WS_PORT, TLS_*, REDIS_URL, ...). */
import { requirePassword, runService } from '../bin/run-service.js';
import { startBroker } from './start-broker.js';

runService('broker', async ({ config, registry, log }) => {
  const services = {
    ingest: requirePassword(config.ingestPassword, 'INGEST_PASSWORD'),
    api: requirePassword(config.apiPassword, 'API_PASSWORD'),
  };
  const running = await startBroker({
    config: config.broker,
    mqttPort: config.mqttPort,
    host: config.host,
    registry: () => registry,
    services,
    log,
  });
  return { stop: () => running.stop() };
});
