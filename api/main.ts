/** `npm run api`: the HTTP API alone, reading the store and following device status at MQTT_URL. */
import { resolve } from 'node:path';
import { createStore } from '../bin/create-store.js';
import { requirePassword, runService } from '../bin/run-service.js';
import { loadOrCreateVapid } from '../bin/vapid-file.js';
import { createApp } from './create-app.js';
import { createPushSubscriptions } from './push-subscriptions.js';
import { listenHttp } from './serve.js';
import { createStatusTracker } from './status-tracker.js';
import { createUserStore } from './users.js';

runService('api', async ({ config, registry, log }) => {
  const store = await createStore(config);
  const password = requirePassword(config.apiPassword, 'API_PASSWORD');
  const status = await createStatusTracker({ mqttUrl: config.mqttUrl, password, log });
  // People's sign-ins and Web Push subscriptions live in the data folder, shared with other API instances.
  const users = createUserStore(resolve(config.dataDir, 'users.db'));
  const subscriptions = createPushSubscriptions(resolve(config.dataDir, 'users.db'));
  const vapid = loadOrCreateVapid(config.dataDir, process.env);
  const app = createApp({
    users,
    push: { publicKey: vapid.publicKey, subscriptions },
    registry: () => registry,
    store,
    online: status.online,
    brokerConnected: status.connected,
    publishAlertEvent: status.publishAlertEvent,
    log,
  });
  const http = await listenHttp(app, config.httpPort, config.host);
  log.info({ port: http.port }, 'api listening');
  return {
    async stop() {
      await http.close();
      await status.stop();
      await store.close();
      users.close();
      subscriptions.close();
    },
  };
});
