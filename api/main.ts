/** `npm run api`: the HTTP API alone, reading the store and following device status at MQTT_URL; SIGHUP reloads the registry. */
import { resolve } from 'node:path';
import { createStore } from '../bin/create-store.js';
import { keyedOnReload } from '../bin/demo-registry.js';
import { requirePassword, runService } from '../bin/run-service.js';
import { loadOrCreateVapid } from '../bin/vapid-file.js';
import { watchRegistryReload } from '../ingest/registry-reload.js';
import { createNotifier } from '../notify/create-notifier.js';
import { createDemoInbox } from '../notify/demo-inbox.js';
import { createCoverageHistory } from './coverage-history.js';
import { createApp } from './create-app.js';
import { createPushSubscriptions } from './push-subscriptions.js';
import { listenHttp } from './serve.js';
import { createStatusTracker } from './status-tracker.js';
import { createUserStore } from './users.js';

runService('api', async ({ config, registry, log }) => {
  const store = await createStore(config, log);
  const password = requirePassword(config.apiPassword, 'API_PASSWORD');
  const status = await createStatusTracker({ mqttUrl: config.mqttUrl, password, log });
  // People's sign-ins and Web Push subscriptions live in the data folder, shared with other API instances.
  const users = createUserStore(resolve(config.dataDir, 'users.db'));
  const subscriptions = createPushSubscriptions(resolve(config.dataDir, 'users.db'));
  const vapid = loadOrCreateVapid(config.dataDir, process.env);
  // Every request reads the current registry, so a revoked key is refused from the reload on.
  let current = registry;
  // The API service runs the notifier: it follows the store's AlertEvents, whoever wrote them.
  let boardUrl = config.boardUrl ?? '';
  const notifier = createNotifier({
    registry: () => current,
    store,
    dataDir: config.dataDir,
    log,
    boardUrl: () => boardUrl,
  });
  const app = createApp({
    maintenance: notifier.maintenance,
    demoInbox: registry.file.notify?.demoInbox ? createDemoInbox() : undefined,
    registry: () => current,
    users,
    push: { publicKey: vapid.publicKey, subscriptions },
    store,
    online: status.online,
    brokerConnected: status.connected,
    publishAlertEvent: status.publishAlertEvent,
    log,
  });
  const http = await listenHttp(app, config.httpPort, config.host);
  const unwatch = watchRegistryReload(
    config.registry,
    log,
    keyedOnReload(config, process.env, (next) => {
      current = next;
    }),
  );
  log.info({ port: http.port }, 'api listening');
  boardUrl ||= `http://127.0.0.1:${http.port}`;
  notifier.start();
  // One coverage snapshot per local day (GET /api/v1/coverage/history).
  const history = createCoverageHistory({ store, registry: () => current, clock: Date.now, log });
  return {
    async stop() {
      unwatch();
      await http.close();
      await notifier.stop();
      await history.stop();
      await status.stop();
      await store.close();
      users.close();
      subscriptions.close();
    },
  };
});
