/**
 * The API's one broker connection (svc:api): follows the retained `wl/v1/+/status` topics, so the API
 * knows which devices are connected, and publishes acknowledgements on `wl/v1/alerts/{countyId}`.
 */
import mqtt from 'mqtt';
import type { Logger } from 'pino';
import type { AlertEvent } from '../core/alert.js';
import { parseTopic, type StatusPayload, topics } from '../core/topics.js';

export interface StatusTracker {
  online(deviceId: string): boolean;
  /** Resolves once the broker connection is up. */
  connected(): boolean;
  /** QoS 1, like ingest's alert events; queued by the client while the broker is away. */
  publishAlertEvent(e: AlertEvent): void;
  stop(): Promise<void>;
}

export async function createStatusTracker(opts: {
  mqttUrl: string;
  password: string;
  log: Logger;
}): Promise<StatusTracker> {
  const state = new Map<string, boolean>();
  const client = mqtt.connect(opts.mqttUrl, {
    // A random suffix: several API instances may follow the same topics.
    clientId: `svc:api:${Math.random().toString(36).slice(2, 10)}`,
    username: 'svc:api',
    password: opts.password,
    reconnectPeriod: 1000,
  });
  client.on('error', (e) => opts.log.warn({ err: e.message }, 'status tracker mqtt error'));
  client.on('message', (topic, payload) => {
    const parsed = parseTopic(topic);
    if (parsed?.kind !== 'status') return;
    try {
      const status = JSON.parse(payload.toString()) as StatusPayload;
      state.set(parsed.deviceId, status.online === true);
    } catch {
      opts.log.warn({ topic }, 'malformed status payload');
    }
  });
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => resolve());
    client.once('error', reject);
  });
  await client.subscribeAsync(topics.allStatus, { qos: 1 });
  return {
    online: (id) => state.get(id) === true,
    connected: () => client.connected,
    publishAlertEvent(e) {
      client.publish(topics.alerts(e.alert.countyId), JSON.stringify(e), { qos: 1 }, (err) => {
        if (err) opts.log.warn({ err: err.message, alertId: e.alert.id }, 'cannot publish alert event');
      });
    },
    stop: () => client.endAsync(),
  };
}
