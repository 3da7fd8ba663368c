/** `npm run sim`: the device simulator alone, connecting each demo device to the broker at MQTT_URL. */
import { runService } from '../bin/run-service.js';
import { createSim } from './create-sim.js';
import { demoDeviceToken } from './demo-secret.js';

runService('sim', async ({ config, registry, log }) => {
  const secret = process.env.DEMO_SECRET || undefined;
  return createSim({ mqttUrl: config.mqttUrl, registry, tokenFor: (id) => demoDeviceToken(id, secret), log });
});
