/** MQTT over TLS (port 8883 by IANA registration), opened only when a certificate and key are configured. */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:tls';
import type { WaterlineBroker } from './create-broker.js';
import { type Listening, serve, tuneSocket } from './listen.js';

export interface TlsFiles {
  /** PEM certificate chain and private key, as file paths. */
  cert: string;
  key: string;
}

export function listenTls(
  broker: WaterlineBroker,
  port: number,
  host: string,
  files: TlsFiles,
): Promise<Listening> {
  const cert = readFileSync(files.cert);
  const key = readFileSync(files.key);
  const server = createServer({ cert, key }, (socket) => {
    tuneSocket(socket);
    broker.accept(socket);
  });
  // A failed handshake never reaches the broker; without a listener it would be an unhandled error.
  server.on('tlsClientError', () => undefined);
  return serve(server, port, host);
}
