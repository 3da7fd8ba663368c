/** GET /metrics for ingest run on its own (in the all-in-one process the API serves ingest's metrics). */
import { createServer } from 'node:http';

export interface MetricsServer {
  port: number;
  close(): Promise<void>;
}

export function serveMetrics(
  port: number,
  host: string,
  render: () => string | Promise<string>,
): Promise<MetricsServer> {
  const server = createServer((req, res) => {
    if (req.method === 'GET' && req.url?.split('?')[0] === '/metrics') {
      Promise.resolve()
        .then(render)
        .then(
          (text) => {
            res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
            res.end(text);
          },
          (e: unknown) => {
            res.writeHead(500, { 'content-type': 'text/plain' });
            res.end(`metrics failed: ${(e as Error).message}\n`);
          },
        );
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found: ingest serves only GET /metrics\n');
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const address = server.address();
      resolve({
        port: typeof address === 'object' && address ? address.port : port,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
}
