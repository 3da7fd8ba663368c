/** The Aedes broker with waterline's authentication, topic guard, limits, status topics and metrics. */
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { Aedes, type AuthenticateError, type Client } from 'aedes';
import type { Logger } from 'pino';
import { canPublish, canSubscribe, clientIdAllowed, type Identity } from '../core/acl.js';
import type { Registry } from '../core/registry.js';
import { internals } from './aedes-internals.js';
import { type AuthThrottleOptions, createAuthThrottle } from './auth-throttle.js';
import { resolveIdentity, type ServicePasswords } from './authenticate.js';
import { coalesceWrites } from './coalesce-writes.js';
import { createDeviceStatus } from './device-status.js';
import { IndexedMemoryPersistence } from './memory-persistence.js';
import { type BrokerMetrics, createBrokerMetrics, type RefusedAuth } from './metrics.js';
import { guardPacketSize, MAX_PACKET_BYTES } from './packet-guard.js';
import { createRateLimiter } from './rate-limit.js';

export interface BrokerDeps {
  /** The current registry; a function so a reload takes effect for the next connection. */
  registry: () => Registry;
  services: ServicePasswords;
  log: Logger;
  clock?: () => number;
  /** Shared persistence and bus (Redis); in memory when absent (Aedes' bus, our indexed persistence). */
  backends?: { persistence: unknown; mq: unknown; close(): Promise<void> };
  /** Per-device publish rate; unlimited when absent. */
  deviceRate?: { perSecond: number; burst: number };
  authThrottle?: Omit<AuthThrottleOptions, 'clock'>;
  /** Largest MQTT packet accepted; bigger ones close the connection. */
  maxPacketBytes?: number;
}

export interface WaterlineBroker {
  aedes: Aedes;
  /** Hands an accepted connection to the broker: a socket, or a WebSocket stream with its upgrade request. */
  accept(stream: Duplex, req?: IncomingMessage): void;
  /** Device ids with at least one open connection on this instance. */
  connectedDevices(): ReadonlySet<string>;
  /** Prometheus text exposition of the broker's counters and gauges. */
  metrics(): Promise<string>;
  /** Disconnects every client, publishes their offline status, flushes persistence. */
  close(): Promise<void>;
}

// MQTT 3.1.1 §3.2.2.3 CONNACK return codes.
const IDENTIFIER_REJECTED = 2;
const BAD_USERNAME_OR_PASSWORD = 4;
const NOT_AUTHORIZED = 5;

function authError(message: string, returnCode: number): AuthenticateError {
  return Object.assign(new Error(message), { returnCode }) as AuthenticateError;
}

/** The TCP socket under a client: the connection itself, or the one under its WebSocket. */
const socketOf = (client: Client): Partial<Socket> => client.req?.socket ?? (client.conn as Partial<Socket>);

export async function createBroker(deps: BrokerDeps): Promise<WaterlineBroker> {
  const { log } = deps;
  const clock = deps.clock ?? Date.now;
  const maxPacket = deps.maxPacketBytes ?? MAX_PACKET_BYTES;
  let aedes!: Aedes;
  const metrics: BrokerMetrics = createBrokerMetrics(() => {
    let sum = 0;
    for (const c of Object.values(internals(aedes).clients)) if (c) sum += socketOf(c).bytesWritten ?? 0;
    return sum;
  });
  const throttle = createAuthThrottle({ clock, ...deps.authThrottle });
  const rate = createRateLimiter({ perSecond: 0, burst: 0, ...deps.deviceRate, clock });
  const identities = new WeakMap<Client, Identity>();

  const refuse = (
    client: Client,
    done: (e: AuthenticateError | null, ok: boolean | null) => void,
    reason: RefusedAuth,
    code: number,
    message: string,
  ) => {
    metrics.authRefused(reason);
    const address = socketOf(client).remoteAddress ?? 'unknown';
    log.info({ clientId: client.id, address, reason }, 'refused connection');
    if (code !== BAD_USERNAME_OR_PASSWORD) return done(authError(message, code), false);
    const decision = throttle.failed(address);
    if (decision.action === 'drop') {
      // Too many refusals already held back for this address: no CONNACK, just close. Aedes ignores
      // the authenticate callback of a closed client, so none is owed.
      metrics.authRefused('throttled');
      client.conn.destroy();
      return;
    }
    if (decision.delayMs === 0) return done(authError(message, code), false);
    const timer = setTimeout(() => {
      throttle.settled(address);
      done(authError(message, code), false);
    }, decision.delayMs);
    timer.unref();
  };

  aedes = new Aedes({
    // Unauthenticated sockets cost memory: a client has 10 s to send CONNECT (Aedes' default is 30 s).
    connectTimeout: 10_000,
    ...(deps.backends
      ? { persistence: deps.backends.persistence, mq: deps.backends.mq }
      : { persistence: new IndexedMemoryPersistence() }),
    authenticate(client, username, password, done) {
      if (username === undefined || password === undefined) {
        return refuse(client, done, 'anonymous', NOT_AUTHORIZED, 'anonymous connections are refused');
      }
      const identity = resolveIdentity(deps.registry(), deps.services, username, password);
      // The CONNECT packet stays referenced for the life of the connection: keep no token in memory.
      (password as Buffer).fill(0);
      if (!identity) {
        return refuse(client, done, 'bad_credentials', BAD_USERNAME_OR_PASSWORD, 'bad username or password');
      }
      if (!clientIdAllowed(identity, client.id)) {
        return refuse(client, done, 'client_id', IDENTIFIER_REJECTED, 'client id must equal the username');
      }
      identities.set(client, identity);
      const previous = internals(aedes).clients[client.id];
      if (previous) status.replaced(previous);
      done(null, true);
    },
    authorizePublish(client, packet, done) {
      // client is null for the broker's own messages (status topics).
      if (client === null) return done(null);
      const identity = identities.get(client);
      if (!identity || !canPublish(identity, packet.topic)) {
        metrics.publishRefused('acl');
        log.warn({ clientId: client.id, topic: packet.topic }, 'refused publish');
        // An error closes the connection (MQTT 3.1.1 has no negative PUBACK), so nothing reaches ingest.
        return done(new Error(`publish to ${packet.topic} not allowed`));
      }
      if (identity.kind !== 'device') {
        metrics.messageIn();
        return done(null);
      }
      // Telemetry is a stream, not state: a retained reading would be replayed to every new subscriber.
      packet.retain = false;
      const wait = rate.reserve(identity.deviceId);
      if (wait === 0) {
        metrics.messageIn();
        return done(null);
      }
      // Holding the callback holds the device: Aedes reads no more of its socket until every packet of
      // the current read is handled, so TCP back-pressure slows the device without losing a message.
      metrics.publishDelayed();
      // Unreferenced: a held message must not keep a stopping process alive.
      setTimeout(() => {
        metrics.messageIn();
        done(null);
      }, wait).unref();
    },
    authorizeSubscribe(client, sub, done) {
      const identity = identities.get(client);
      if (!identity || !canSubscribe(identity, sub.topic)) {
        metrics.subscribeRefused();
        log.warn({ clientId: client.id, topic: sub.topic }, 'refused subscription');
        return done(null, null); // SUBACK 0x80 for this filter, the connection stays.
      }
      done(null, sub);
    },
    authorizeForward(_client, packet) {
      metrics.messageOut();
      return packet;
    },
  });

  // Before listen(), so a takeover announced on the bus is seen before Aedes closes the old client.
  const status = createDeviceStatus(aedes, clock, log);
  await aedes.listen();

  aedes.on('client', (client) => {
    const identity = identities.get(client);
    if (!identity) return;
    metrics.clientConnected(identity.kind);
    if (identity.kind === 'device') status.connected(identity.deviceId);
  });
  aedes.on('clientDisconnect', (client) => {
    const identity = identities.get(client);
    if (!identity) return;
    metrics.clientDisconnected(identity.kind, socketOf(client).bytesWritten ?? 0);
    if (identity.kind !== 'device') return;
    status.disconnected(identity.deviceId, client);
    if (!status.connectedDevices().has(identity.deviceId)) rate.release(identity.deviceId);
  });
  aedes.on('keepaliveTimeout', (client) => log.info({ clientId: client.id }, 'keep-alive expired'));
  aedes.on('clientError', (client, e) => log.debug({ clientId: client.id, err: e.message }, 'client error'));
  aedes.on('connectionError', (_client, e) => log.debug({ err: e.message }, 'connection error'));

  let closing: Promise<void> | null = null;
  return {
    aedes,
    accept(stream, req) {
      metrics.connectionOpened();
      guardPacketSize(
        stream,
        maxPacket,
        (announced) => {
          metrics.publishRefused('oversize');
          const address = (req?.socket ?? (stream as Partial<Socket>)).remoteAddress;
          log.warn({ address, bytes: announced }, 'packet over the size limit: closing');
          stream.destroy();
        },
        metrics.bytesIn,
      );
      coalesceWrites(stream);
      aedes.handle(stream, req);
    },
    connectedDevices: () => status.connectedDevices(),
    metrics: () => metrics.render(),
    close() {
      closing ??= (async () => {
        // Clients first, while the bus and persistence still take their offline status.
        const clients = Object.values(internals(aedes).clients).filter((c) => c !== undefined);
        await Promise.all(clients.map((c) => new Promise<void>((resolve) => c.close(() => resolve()))));
        await status.flush();
        await new Promise<void>((resolve) => aedes.close(() => resolve()));
        await deps.backends?.close();
      })();
      return closing;
    },
  };
}
