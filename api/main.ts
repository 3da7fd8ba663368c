/** `npm run api`: the HTTP API alone, reading the store and following device status at MQTT_URL. */
import { createStore } from '../bin/create-store.js';
import { requirePassword, runService } from '../bin/run-service.js';
import { createCoverageHistory } from './coverage-history.js';
import { createApp } from './create-app.js';
import { listenHttp } from './serve.js';
import { createStatusTracker } from './status-tracker.js';

runService('api', async ({ config, registry, log }) => {
  const store = await createStore(config);
  const password = requirePassword(config.apiPassword, 'API_PASSWORD');
  const status = await createStatusTracker({ mqttUrl: config.mqttUrl, password, log });
  const app = createApp({
    registry: () => registry,
    store,
    online: status.online,
    brokerConnected: status.connected,
    publishAlertEvent: status.publishAlertEvent,
    log,
  });
  const http = await listenHttp(app, config.httpPort, config.host);
  log.info({ port: http.port }, 'api listening');
  // One coverage snapshot per local day (GET /api/v1/coverage/history).
  const history = createCoverageHistory({ store, registry: () => registry, clock: Date.now, log });
  return {
    async stop() {
      await http.close();
      await history.stop();
      await status.stop();
      await store.close();
    },
  };
});
