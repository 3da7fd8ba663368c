/** A device for browser tests: the real mqtt client, logged in with the device's own token. */
import mqtt, { type MqttClient } from 'mqtt';
import { token } from '../helpers/small-registry.js';

export interface TestDevice {
  publish(readings: { ts: number; values: Record<string, number> }[]): Promise<void>;
  end(): Promise<void>;
}

export async function connectDevice(mqttUrl: string, deviceId: string): Promise<TestDevice> {
  // The broker requires the client id to be the device id (CONTRACT §3).
  const client: MqttClient = await mqtt.connectAsync(mqttUrl, {
    clientId: deviceId,
    username: deviceId,
    password: token(deviceId),
    reconnectPeriod: 0,
  });
  return {
    async publish(readings) {
      await client.publishAsync(`wl/v1/${deviceId}/telemetry`, JSON.stringify(readings), { qos: 1 });
    },
    async end() {
      await client.endAsync();
    },
  };
}

/**
 * A day-like history of normal values ending just before `end`, every `stepMs`: varied enough that no
 * rule (flatline, thresholds, pressure drop) fires, so charts have something to show.
 */
export function history(
  metrics: Record<string, (i: number) => number>,
  end: number,
  count: number,
  stepMs: number,
): { ts: number; values: Record<string, number> }[] {
  return Array.from({ length: count }, (_, k) => {
    const i = count - k;
    const values = Object.fromEntries(Object.entries(metrics).map(([m, f]) => [m, Number(f(i).toFixed(3))]));
    return { ts: end - i * stepMs, values };
  });
}
