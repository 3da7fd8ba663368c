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
import { digestEquals, resolveIdentity, type ServicePasswords } from './authenticate.js';
import { coalesceWrites } from './coalesce-writes.js';
import { connectProblem } from './connect-check.js';
import { consumeTelemetry } from './consume-telemetry.js';
import { createDeviceStatus } from './device-status.js';
import { leanAedesClients, leanMqttPacket } from './lean-connections.js';
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
  /**
   * Ingest in the publish path: each device's telemetry is handed to it, and the PUBACK (QoS 1) waits
   * until it calls `done`, i.e. until the Readings are durable. Such telemetry ends there: it is not
   * also carried on the message bus. Absent: telemetry is delivered to subscribers (subscriber mode).
   */
  ingest?: InPathIngest;
  /**
   * Awaited before a device's CONNACK, so nothing it sends is judged before it resolves: a node sharing
   * its devices with others takes over the device's alert state here.
   */
  beforeDevice?: (deviceId: string) => Promise<void>;
}

/** What the broker needs of ingest (ingest/ingest-core.ts). */
export interface InPathIngest {
  receive(topic: string, payload: Buffer, done: () => void): void;
  whenRoom(fn: () => void): void;
}

export interface WaterlineBroker {
  aedes: Aedes;
  /** Hands an accepted connection to the broker: a socket, or a WebSocket stream with its upgrade request. */
  accept(stream: Duplex, req?: IncomingMessage): void;
  /** Device ids with at least one open connection on this instance. */
  connectedDevices(): ReadonlySet<string>;
  isConnected(deviceId: string): boolean;
  /** Prometheus text exposition of the broker's counters and gauges. */
  metrics(): Promise<string>;
  /**
   * After a registry reload: closes every connection whose credentials the current registry no longer
   * accepts (a device removed or its token changed, an API key revoked); returns how many.
   */
  revokeStale(): number;
  /** Disconnects every client, publishes their offline status, flushes persistence. */
  close(): Promise<void>;
}

// MQTT 3.1.1 §3.2.2.3 CONNACK return codes.
const IDENTIFIER_REJECTED = 2;
const SERVER_UNAVAILABLE = 3;
const BAD_USERNAME_OR_PASSWORD = 4;
const NOT_AUTHORIZED = 5;

function authError(message: string, returnCode: number): AuthenticateError {
  return Object.assign(new Error(message), { returnCode }) as AuthenticateError;
}

const noop = () => {};

/** The TCP socket under a client: the connection itself, or the one under its WebSocket. */
const socketOf = (client: Client): Partial<Socket> => client.req?.socket ?? (client.conn as Partial<Socket>);

export async function createBroker(deps: BrokerDeps): Promise<WaterlineBroker> {
  leanMqttPacket();
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
  /** The sha-256 of the password each client authenticated with, to re-check it against a new registry. */
  const credentials = new WeakMap<Client, string>();

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
    // No limit on the in-memory bus's messages in flight. With one (Aedes' default is 100), messages
    // beyond it wait in a queue that mqemitter drains by recursion: each message whose subscribers all
    // answer at once (the node's own followers of alerts and status) calls the next, so a burst of a
    // few thousand overflows the stack. What is in flight stays bounded without it: Aedes reads a
    // client's next chunk only once every packet of the last one is handled, and ingest's alert events
    // are bounded by the Readings it holds.
    // (mqemitter-redis keeps no such limit either.)
    concurrency: 0,
    ...(deps.backends
      ? { persistence: deps.backends.persistence, mq: deps.backends.mq }
      : { persistence: new IndexedMemoryPersistence() }),
    preConnect(client, packet, done) {
      leanAedesClients(client);
      const problem = connectProblem(packet);
      if (problem === null) return done(null, true);
      metrics.authRefused('protocol');
      log.warn({ address: socketOf(client).remoteAddress ?? 'unknown', problem }, 'refused CONNECT');
      // A malformed CONNECT gets no CONNACK: the connection is closed (MQTT 3.1.1 §3.1.4).
      done(new Error(problem), false);
    },
    authenticate(client, username, password, done) {
      if (username === undefined || password === undefined) {
        return refuse(client, done, 'anonymous', NOT_AUTHORIZED, 'anonymous connections are refused');
      }
      const proven = resolveIdentity(deps.registry(), deps.services, username, password);
      // Keep no token in memory, whoever may still hold the CONNECT packet.
      (password as Buffer).fill(0);
      if (!proven) {
        return refuse(client, done, 'bad_credentials', BAD_USERNAME_OR_PASSWORD, 'bad username or password');
      }
      const { identity } = proven;
      credentials.set(client, proven.digest);
      if (!clientIdAllowed(identity, client.id)) {
        return refuse(client, done, 'client_id', IDENTIFIER_REJECTED, 'client id must equal the username');
      }
      identities.set(client, identity);
      const previous = internals(aedes).clients[client.id];
      if (previous) status.replaced(previous);
      if (identity.kind !== 'device' || !deps.beforeDevice) return done(null, true);
      deps.beforeDevice(identity.deviceId).then(
        () => done(null, true),
        (e: unknown) => {
          log.warn({ clientId: client.id, err: (e as Error).message }, 'device state unavailable: refused');
          done(authError('server unavailable', SERVER_UNAVAILABLE), false);
        },
      );
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
      // [MQTT-2.3.1-1] a QoS 1 or 2 PUBLISH carries a non-zero packet identifier.
      if (packet.qos > 0 && !packet.messageId) {
        metrics.publishRefused('protocol');
        log.warn({ clientId: client.id, topic: packet.topic }, 'refused publish: QoS > 0 with packet id 0');
        return done(new Error('QoS > 0 PUBLISH without a packet identifier'));
      }
      if (identity.kind !== 'device') {
        metrics.messageIn();
        return done(null);
      }
      // Telemetry is a stream, not state: a retained reading would be replayed to every new subscriber.
      packet.retain = false;
      const accept = () => {
        metrics.messageIn();
        if (!deps.ingest) return done(null);
        const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
        // QoS 0 promises nothing: taken as soon as there is room. QoS 1 and 2: acknowledged once durable.
        if (packet.qos === 0) {
          deps.ingest.receive(packet.topic, payload, noop);
          return deps.ingest.whenRoom(() => done(null));
        }
        deps.ingest.receive(packet.topic, payload, () => done(null));
      };
      const wait = rate.reserve(identity.deviceId);
      if (wait === 0) return accept();
      // Holding the callback holds the device: Aedes reads no more of its socket until every packet of
      // the current read is handled, so TCP back-pressure slows the device without losing a message.
      metrics.publishDelayed();
      // Unreferenced: a held message must not keep a stopping process alive.
      setTimeout(accept, wait).unref();
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

  if (deps.ingest) consumeTelemetry(aedes, (client) => identities.get(client)?.kind === 'device');

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
    isConnected: (deviceId) => status.isConnected(deviceId),
    metrics: () => metrics.render(),
    revokeStale() {
      const registry = deps.registry();
      let closed = 0;
      for (const client of Object.values(internals(aedes).clients)) {
        const identity = client && identities.get(client);
        if (!client || !identity || identity.kind === 'service') continue;
        const next = stillValid(registry, identity, credentials.get(client) ?? '');
        if (next) continue;
        log.info({ clientId: client.id }, 'credentials revoked by a registry reload: closing');
        client.close();
        closed++;
      }
      return closed;
    },
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

/** The identity a connected client keeps under a new registry, or null when its credentials are gone. */
function stillValid(registry: Registry, identity: Identity, hash: string): Identity | null {
  if (identity.kind === 'device') {
    const device = registry.devices.get(identity.deviceId);
    return device && digestEquals(hash, device.tokenSha256) ? identity : null;
  }
  if (identity.kind === 'watcher') {
    // A key whose role or counties changed is closed too: its subscriptions were granted under the old ones.
    const key = registry.file.apiKeys.find((k) => k.id === identity.key.id);
    const same = key && JSON.stringify(key) === JSON.stringify(identity.key);
    return same && digestEquals(hash, key.keySha256) ? identity : null;
  }
  return identity;
}
