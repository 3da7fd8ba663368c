/** Retained `wl/v1/{id}/status` for each device: online with its first connection, offline with its last. */
import type { Aedes, Client } from 'aedes';
import type { Logger } from 'pino';
import { type StatusPayload, topics } from '../core/topics.js';
import { internals } from './aedes-internals.js';

export interface DeviceStatus {
  connected(deviceId: string): void;
  /** `client` is being replaced by a newer connection with its client id; its end is not "offline". */
  replaced(client: Client): void;
  /** `client` of `deviceId` ended. */
  disconnected(deviceId: string, client: Client): void;
  /** Device ids with at least one open connection on this instance. */
  connectedDevices(): ReadonlySet<string>;
  /** Whether the device has an open connection on this instance (no copy of the set). */
  isConnected(deviceId: string): boolean;
  /** Resolves once every status publish started so far is stored and delivered. */
  flush(): Promise<void>;
}

// Aedes' own inter-broker topic: `$SYS/{brokerId}/new/clients` carries a client id that just connected.
const NEW_CLIENTS = '$SYS/+/new/clients';

/** Call before `aedes.listen()`, so this sees a takeover before Aedes closes the replaced client. */
export function createDeviceStatus(aedes: Aedes, clock: () => number, log: Logger): DeviceStatus {
  const connections = new Map<string, number>();
  const pending = new Set<Promise<void>>();
  // Clients replaced by a newer connection with the same client id ([MQTT-3.1.4-2]), here or on another
  // instance: the device is online there, and an "offline" published now would arrive after its "online".
  const takenOver = new WeakSet<Client>();

  const { mq, clients } = internals(aedes);
  mq.on(NEW_CLIENTS, (packet, done) => {
    const brokerId = packet.topic.split('/')[1];
    const existing = clients[String(packet.payload)];
    if (brokerId !== aedes.id && existing) takenOver.add(existing);
    done();
  });

  const publish = (deviceId: string, online: boolean) => {
    const payload: StatusPayload = { online, ts: clock() };
    const done = new Promise<void>((resolve) => {
      aedes.publish(
        {
          cmd: 'publish',
          topic: topics.status(deviceId),
          payload: Buffer.from(JSON.stringify(payload)),
          qos: 1, // CONTRACT §3: retained, QoS 1
          retain: true,
          dup: false,
        },
        (e) => {
          if (e) log.error({ err: e, deviceId }, 'status publish failed');
          resolve();
        },
      );
    });
    pending.add(done);
    void done.then(() => pending.delete(done));
  };

  return {
    connected(deviceId) {
      const n = (connections.get(deviceId) ?? 0) + 1;
      connections.set(deviceId, n);
      if (n === 1) publish(deviceId, true);
    },
    disconnected(deviceId, client) {
      const n = (connections.get(deviceId) ?? 1) - 1;
      if (n > 0) {
        connections.set(deviceId, n);
        return;
      }
      connections.delete(deviceId);
      if (takenOver.has(client)) log.debug({ deviceId }, 'device moved to another broker instance');
      else publish(deviceId, false);
    },
    replaced: (client) => takenOver.add(client),
    connectedDevices: () => new Set(connections.keys()),
    isConnected: (deviceId) => connections.has(deviceId),
    async flush() {
      while (pending.size > 0) await Promise.all(pending);
    },
  };
}
