/** Serves a Hono app over HTTP with @hono/node-server; port 0 picks a free port, which is returned. */
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';

export interface HttpListening {
  port: number;
  close(): Promise<void>;
}

export function listenHttp(app: Hono, port: number, host: string): Promise<HttpListening> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port, hostname: host }, (info) => {
      resolve({
        port: info.port,
        close: () =>
          new Promise<void>((done) => {
            (server as Server).closeAllConnections?.();
            server.close(() => done());
          }),
      });
    });
    server.once('error', reject);
  });
}
