/** The Aedes broker with waterline's authentication, topic guard and device status topics. */
import { Aedes, type AuthenticateError, type Client } from 'aedes';
import type { Logger } from 'pino';
import { canPublish, canSubscribe, clientIdAllowed, type Identity } from '../core/acl.js';
import type { Registry } from '../core/registry.js';
import { type StatusPayload, topics } from '../core/topics.js';
import { resolveIdentity, type ServicePasswords } from './authenticate.js';

export interface BrokerDeps {
  /** The current registry; a function so a reload takes effect for the next connection. */
  registry: () => Registry;
  services: ServicePasswords;
  log: Logger;
  clock?: () => number;
}

export interface WaterlineBroker {
  aedes: Aedes;
  /** Device ids with at least one open connection. */
  connectedDevices(): ReadonlySet<string>;
  close(): Promise<void>;
}

// MQTT 3.1.1 §3.2.2.3 CONNACK return codes.
const BAD_USERNAME_OR_PASSWORD = 4;
const NOT_AUTHORIZED = 5;
const IDENTIFIER_REJECTED = 2;

function authError(message: string, returnCode: number): AuthenticateError {
  return Object.assign(new Error(message), { returnCode }) as AuthenticateError;
}

const identities = new WeakMap<Client, Identity>();

export async function createBroker(deps: BrokerDeps): Promise<WaterlineBroker> {
  const { log } = deps;
  const clock = deps.clock ?? Date.now;
  const connections = new Map<string, number>();

  const aedes = await Aedes.createBroker({
    authenticate(client, username, password, done) {
      if (username === undefined || password === undefined) {
        log.info({ clientId: client.id }, 'refused anonymous connection');
        return done(authError('anonymous connections are refused', NOT_AUTHORIZED), false);
      }
      const identity = resolveIdentity(deps.registry(), deps.services, username, password);
      if (!identity) {
        log.info({ clientId: client.id, username }, 'refused connection: bad credentials');
        return done(authError('bad username or password', BAD_USERNAME_OR_PASSWORD), false);
      }
      if (!clientIdAllowed(identity, client.id)) {
        log.info({ clientId: client.id, username }, 'refused connection: client id must be the username');
        return done(authError('client id must equal the username', IDENTIFIER_REJECTED), false);
      }
      identities.set(client, identity);
      done(null, true);
    },
    authorizePublish(client, packet, done) {
      // client is null for the broker's own messages (status topics).
      if (client === null) return done(null);
      const identity = identities.get(client);
      if (!identity || !canPublish(identity, packet.topic)) {
        log.warn({ clientId: client.id, topic: packet.topic }, 'refused publish');
        return done(new Error(`publish to ${packet.topic} not allowed`));
      }
      // Telemetry is a stream, not state: a retained reading would be replayed to every new subscriber.
      if (identity.kind === 'device') packet.retain = false;
      done(null);
    },
    authorizeSubscribe(client, sub, done) {
      const identity = identities.get(client);
      if (!identity || !canSubscribe(identity, sub.topic)) {
        log.warn({ clientId: client.id, topic: sub.topic }, 'refused subscription');
        return done(null, null); // SUBACK 0x80 for this filter, the connection stays.
      }
      done(null, sub);
    },
  });

  const publishStatus = (deviceId: string, online: boolean) => {
    const payload: StatusPayload = { online, ts: clock() };
    aedes.publish(
      {
        cmd: 'publish',
        topic: topics.status(deviceId),
        payload: Buffer.from(JSON.stringify(payload)),
        qos: 1,
        retain: true,
        dup: false,
      },
      (e) => {
        if (e) log.error({ err: e, deviceId }, 'status publish failed');
      },
    );
  };

  aedes.on('clientReady', (client) => {
    const identity = identities.get(client);
    if (identity?.kind !== 'device') return;
    const n = (connections.get(identity.deviceId) ?? 0) + 1;
    connections.set(identity.deviceId, n);
    if (n === 1) publishStatus(identity.deviceId, true);
  });
  aedes.on('clientDisconnect', (client) => {
    const identity = identities.get(client);
    if (identity?.kind !== 'device') return;
    const n = (connections.get(identity.deviceId) ?? 1) - 1;
    if (n > 0) connections.set(identity.deviceId, n);
    else {
      connections.delete(identity.deviceId);
      publishStatus(identity.deviceId, false);
    }
  });
  aedes.on('clientError', (client, e) => log.debug({ clientId: client.id, err: e.message }, 'client error'));

  return {
    aedes,
    connectedDevices: () => new Set(connections.keys()),
    close: () => new Promise<void>((resolve) => aedes.close(() => resolve())),
  };
}
