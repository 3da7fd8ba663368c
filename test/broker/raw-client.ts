/** A bare TCP MQTT client for what full clients hide: going silent, resetting the socket, huge packets. */
import { connect, type Socket } from 'node:net';
import mqttPacket from 'mqtt-packet';

/** A version 3.1.1 CONNECT with a clean session; user name and password only when given. */
export function connectPacket(
  clientId: string,
  opts: { username?: string; password?: string; keepalive?: number } = {},
  extra: Partial<mqttPacket.IConnectPacket> = {},
): mqttPacket.IConnectPacket {
  return {
    cmd: 'connect',
    protocolId: 'MQTT',
    protocolVersion: 4,
    clean: true,
    clientId,
    keepalive: opts.keepalive ?? 60,
    ...(opts.username ? { username: opts.username } : {}),
    ...(opts.password ? { password: Buffer.from(opts.password) } : {}),
    ...extra,
  };
}

export interface RawClient {
  socket: Socket;
  /** CONNACK return code. */
  code: number;
  /** Resolves when the broker closes the connection. */
  closed: Promise<void>;
}

/** Connects and waits for CONNACK, then sends nothing on its own (no PINGREQ: keep-alive will lapse). */
export function rawConnect(
  url: string,
  opts: { clientId: string; username?: string; password?: string; keepalive?: number },
): Promise<RawClient> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const closed = new Promise<void>((done) => socket.once('close', () => done()));
    socket.once('error', reject);
    socket.once('connect', () => socket.write(mqttPacket.generate(connectPacket(opts.clientId, opts))));
    const parser = mqttPacket.parser();
    parser.once('packet', (p) => {
      if (p.cmd === 'connack') resolve({ socket, code: p.returnCode ?? -1, closed });
      else reject(new Error(`expected CONNACK, got ${p.cmd}`));
    });
    socket.on('data', (d) => parser.parse(d));
  });
}
