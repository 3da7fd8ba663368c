/**
 * The benchmark's background load in a process of its own, so the process that times alerts is not
 * also busy publishing thousands of Readings a second. Env: MQTT_URL, DEVICES (first..count),
 * RATE (Readings/s), WINDOW; reports `{ published }` over IPC each second and stops on SIGTERM.
 */
import { benchDeviceId } from './ingest-registry.js';
import { connectWire, pacedWire } from './wire-load.js';

const count = Number(process.env.DEVICES);
const devices = await connectWire(
  process.env.MQTT_URL!,
  Array.from({ length: count }, (_, i) => benchDeviceId(i)),
);
const load = pacedWire(devices, Number(process.env.RATE), Number(process.env.WINDOW ?? 8));
process.send?.({ ready: true });
const timer = setInterval(() => process.send?.({ published: load.published() }), 250);
process.on('SIGTERM', () => {
  load.stop();
  clearInterval(timer);
  process.send?.({ published: load.published() });
  setTimeout(() => process.exit(0), 100);
});
