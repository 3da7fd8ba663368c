/** Checks that listening ports are free before anything starts, so a clash is reported up front. */
import { createServer } from 'node:net';

export function checkPortFree(port: number, host: string): Promise<string | null> {
  if (port === 0) return Promise.resolve(null);
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', (e: NodeJS.ErrnoException) =>
      resolve(
        e.code === 'EADDRINUSE'
          ? `port ${port} is already in use`
          : `cannot listen on ${host}:${port}: ${e.message}`,
      ),
    );
    server.listen(port, host, () => server.close(() => resolve(null)));
  });
}
