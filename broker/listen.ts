/** Opens the broker's plain TCP listener; port 0 picks a free port, which is returned. */
import { createServer, type Server, type Socket } from 'node:net';
import type { WaterlineBroker } from './create-broker.js';

export interface Listening {
  server: Server;
  port: number;
  /** Stops accepting; resolves once every connection it accepted has closed (the broker closes them). */
  close(): Promise<void>;
}

/** Idle time before the kernel probes a silent peer (TCP keep-alive, RFC 1122 §4.2.3.6). */
const TCP_KEEPALIVE_MS = 120_000;

/**
 * Socket options every listener applies. Nagle's algorithm would hold a lone PUBACK for up to 40 ms
 * (its interplay with delayed ACKs, RFC 1122 §4.2.3.2). TCP keep-alive finds a peer that vanished
 * (a 4G link gone) even when its MQTT keep-alive is 0, which MQTT 3.1.1 §3.1.2.10 lets it choose.
 */
export function tuneSocket(socket: Socket): void {
  socket.setNoDelay(true);
  socket.setKeepAlive(true, TCP_KEEPALIVE_MS);
}

export function listenTcp(broker: WaterlineBroker, port: number, host: string): Promise<Listening> {
  const server = createServer((socket) => {
    tuneSocket(socket);
    broker.accept(socket);
  });
  return serve(server, port, host);
}

/** Listens on `port` (0 = any free one) and reports the port actually bound. */
export function serve(server: Server, port: number, host: string): Promise<Listening> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address();
      const actual = typeof address === 'object' && address ? address.port : port;
      let closed: Promise<void> | null = null;
      resolve({
        server,
        port: actual,
        close: () => {
          closed ??= new Promise<void>((done) => {
            server.close(() => done());
          });
          return closed;
        },
      });
    });
  });
}
