/** A bare MQTT session over TCP for hostile tests: send any bytes, see every packet back, and whether the broker hung up. */
import { connect, type Socket } from 'node:net';
import mqttPacket, { type Packet } from 'mqtt-packet';

export interface RawSession {
  packets: Packet[];
  readonly closed: boolean;
  send(bytes: Buffer): void;
  /** The first packet (received so far or later) matching, or null after `ms`. */
  packet(match: (p: Packet) => boolean, ms?: number): Promise<Packet | null>;
  /** Whether the broker closed the connection within `ms`. */
  closedWithin(ms: number): Promise<boolean>;
  end(): void;
}

export function openRaw(url: string): Promise<RawSession> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(Number(port), hostname);
    const packets: Packet[] = [];
    const listeners = new Set<() => void>();
    let closed = false;
    const notify = () => {
      for (const l of listeners) l();
    };
    const parser = mqttPacket.parser();
    parser.on('packet', (p) => {
      packets.push(p);
      notify();
    });
    // A broker that sends bytes the parser rejects is itself a finding; keep them out of the way.
    parser.on('error', () => {});
    socket.on('data', (d) => parser.parse(d));
    socket.on('error', () => {});
    socket.once('close', () => {
      closed = true;
      notify();
    });
    socket.once('connect', () =>
      resolve({
        packets,
        get closed() {
          return closed;
        },
        send(bytes) {
          if (!closed) socket.write(bytes);
        },
        packet(match, ms = 3_000) {
          return new Promise((done) => {
            const check = () => {
              const found = packets.find(match);
              if (found || closed) {
                listeners.delete(check);
                clearTimeout(timer);
                done(found ?? null);
              }
            };
            const timer = setTimeout(() => {
              listeners.delete(check);
              done(packets.find(match) ?? null);
            }, ms);
            listeners.add(check);
            check();
          });
        },
        closedWithin(ms) {
          return new Promise((done) => {
            if (closed) return done(true);
            const check = () => {
              if (!closed) return;
              listeners.delete(check);
              clearTimeout(timer);
              done(true);
            };
            const timer = setTimeout(() => {
              listeners.delete(check);
              done(closed);
            }, ms);
            listeners.add(check);
          });
        },
        end() {
          socket.destroy();
        },
      }),
    );
    socket.once('error', reject);
  });
}

export interface ConnectOptions {
  clientId: string;
  username?: string;
  password?: string;
  protocolId?: string;
  protocolVersion?: number;
  will?: { topic: string; payload: string; qos: 0 | 1 | 2; retain?: boolean };
  clean?: boolean;
}

export function connectPacket(o: ConnectOptions): Buffer {
  return mqttPacket.generate({
    cmd: 'connect',
    protocolId: (o.protocolId ?? 'MQTT') as 'MQTT',
    protocolVersion: (o.protocolVersion ?? 4) as 4,
    clean: o.clean ?? true,
    clientId: o.clientId,
    keepalive: 30,
    ...(o.username !== undefined ? { username: o.username } : {}),
    ...(o.password !== undefined ? { password: Buffer.from(o.password) } : {}),
    ...(o.will
      ? {
          will: {
            topic: o.will.topic,
            payload: Buffer.from(o.will.payload),
            qos: o.will.qos,
            retain: o.will.retain ?? false,
          },
        }
      : {}),
  });
}

/**
 * The CONNECT's flags byte set to `flags` (what a library would never send: will QoS 3, the reserved
 * bit). It follows the fixed header, the protocol name (2-byte length + text) and the level byte.
 */
export function withConnectFlags(packet: Buffer, flags: number): Buffer {
  let i = 1;
  while ((packet[i]! & 0x80) !== 0) i++;
  const nameLength = packet.readUInt16BE(i + 1);
  const out = Buffer.from(packet);
  out[i + 1 + 2 + nameLength + 1] = flags;
  return out;
}

/** The CONNECT's protocol level byte set to `level` (the library refuses to write levels it does not know). */
export function withProtocolLevel(packet: Buffer, level: number): Buffer {
  let i = 1;
  while ((packet[i]! & 0x80) !== 0) i++;
  const nameLength = packet.readUInt16BE(i + 1);
  const out = Buffer.from(packet);
  out[i + 1 + 2 + nameLength] = level;
  return out;
}

/** A PUBLISH built by hand, so its packet id can be 0 (MQTT 3.1.1 §2.3.1 forbids it at QoS > 0). */
export function rawPublish(
  topic: string,
  payload: Buffer | string,
  qos: 0 | 1 | 2,
  packetId: number,
): Buffer {
  const t = Buffer.from(topic);
  const body = Buffer.concat([
    Buffer.from([t.length >> 8, t.length & 0xff]),
    t,
    qos > 0 ? Buffer.from([packetId >> 8, packetId & 0xff]) : Buffer.alloc(0),
    Buffer.from(payload),
  ]);
  return Buffer.concat([Buffer.from([0x30 | (qos << 1)]), remainingLength(body.length), body]);
}

function remainingLength(n: number): Buffer {
  const out: number[] = [];
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    out.push(b);
  } while (n > 0);
  return Buffer.from(out);
}

export const subscribePacket = (topic: string, messageId: number): Buffer =>
  mqttPacket.generate({ cmd: 'subscribe', messageId, subscriptions: [{ topic, qos: 1 }] });

export const publishPacket = (topic: string, payload: string, qos: 0 | 1, messageId: number): Buffer =>
  mqttPacket.generate({ cmd: 'publish', topic, payload, qos, messageId, retain: false, dup: false });
