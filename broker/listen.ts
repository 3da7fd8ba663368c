/** Opens the broker's plain TCP listener; port 0 picks a free port, which is returned. */
import { createServer, type Server } from 'node:net';
import type { WaterlineBroker } from './create-broker.js';

export interface Listening {
  server: Server;
  port: number;
  /** Stops accepting; resolves once every connection it accepted has closed (the broker closes them). */
  close(): Promise<void>;
}

export function listenTcp(broker: WaterlineBroker, port: number, host: string): Promise<Listening> {
  // Nagle's algorithm would hold a lone PUBACK for up to 40 ms (RFC 1122 §4.2.3.4 delayed ACK interplay).
  const server = createServer((socket) => {
    socket.setNoDelay(true);
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
