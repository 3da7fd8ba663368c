/** Opens the broker's TCP listener; port 0 picks a free port, which is returned. */
import { createServer, type Server } from 'node:net';
import type { WaterlineBroker } from './create-broker.js';

export interface Listening {
  server: Server;
  port: number;
  close(): Promise<void>;
}

export function listenTcp(broker: WaterlineBroker, port: number, host: string): Promise<Listening> {
  const server = createServer((socket) => broker.aedes.handle(socket));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address();
      const actual = typeof address === 'object' && address ? address.port : port;
      resolve({
        server,
        port: actual,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
          }),
      });
    });
  });
}
