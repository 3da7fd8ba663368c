/** Just enough MQTT 3.1.1 framing for the benchmark's load clients: cheaper than a full client per device. */
import { type Socket, connect as tcpConnect } from 'node:net';
import mqttPacket from 'mqtt-packet';

/** One received packet: its first header byte and its body (the Remaining Length bytes). */
export type OnPacket = (header: number, body: Buffer) => void;

/** Splits a byte stream into MQTT packets (MQTT 3.1.1 §2.2: header byte, Remaining Length, body). */
export function framer(onPacket: OnPacket): (chunk: Buffer) => void {
  let pending: Buffer | null = null;
  return (chunk) => {
    const buf = pending ? Buffer.concat([pending, chunk]) : chunk;
    let i = 0;
    for (;;) {
      if (buf.length - i < 2) break;
      let len = 0;
      let mul = 1;
      let j = i + 1;
      let complete = false;
      while (j < buf.length && j < i + 5) {
        const b = buf[j++]!;
        len += (b & 0x7f) * mul;
        mul *= 128;
        if ((b & 0x80) === 0) {
          complete = true;
          break;
        }
      }
      if (!complete || buf.length - j < len) break;
      onPacket(buf[i]!, buf.subarray(j, j + len));
      i = j + len;
    }
    pending = i < buf.length ? Buffer.from(buf.subarray(i)) : null;
  };
}

/** A QoS 1 PUBLISH with a precomputed topic, built without an intermediate object. */
export function publishQos1(topic: Buffer, messageId: number, payload: Buffer): Buffer {
  const remaining = 2 + topic.length + 2 + payload.length;
  const lenBytes: number[] = [];
  let n = remaining;
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    lenBytes.push(b);
  } while (n > 0);
  const out = Buffer.allocUnsafe(1 + lenBytes.length + remaining);
  let o = 0;
  out[o++] = 0x32; // PUBLISH, QoS 1
  for (const b of lenBytes) out[o++] = b;
  out.writeUInt16BE(topic.length, o);
  o += 2;
  topic.copy(out, o);
  o += topic.length;
  out.writeUInt16BE(messageId, o);
  o += 2;
  payload.copy(out, o);
  return out;
}

export function puback(messageId: number): Buffer {
  return Buffer.from([0x40, 0x02, messageId >> 8, messageId & 0xff]);
}

export interface Credentials {
  clientId: string;
  username?: string;
  password?: string;
}

/** Opens a TCP connection and completes CONNECT/CONNACK; `onPacket` then sees every later packet. */
export function openSession(
  port: number,
  creds: Credentials,
  onPacket: OnPacket,
  opts: { keepalive?: number; clean?: boolean } = {},
): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = tcpConnect({ port, host: '127.0.0.1' });
    socket.setNoDelay(true);
    let connected = false;
    const feed = framer((header, body) => {
      if (!connected) {
        if (header >> 4 !== 2) return reject(new Error(`expected CONNACK, got type ${header >> 4}`));
        if (body[1] !== 0) return reject(new Error(`CONNACK refused with code ${body[1]}`));
        connected = true;
        return resolve(socket);
      }
      onPacket(header, body);
    });
    socket.on('data', feed);
    socket.once('error', reject);
    socket.once('connect', () =>
      socket.write(
        mqttPacket.generate({
          cmd: 'connect',
          protocolId: 'MQTT',
          protocolVersion: 4,
          clean: opts.clean ?? true,
          clientId: creds.clientId,
          keepalive: opts.keepalive ?? 60,
          ...(creds.username ? { username: creds.username } : {}),
          ...(creds.password ? { password: Buffer.from(creds.password) } : {}),
        }),
      ),
    );
  });
}

export function subscribePacket(filter: string, qos: 0 | 1): Buffer {
  return mqttPacket.generate({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: filter, qos }] });
}
