/** A real local HTTP server standing in for a robot or gateway: records each request, answers as told. */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  method: string;
  url: URL;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface Receiver {
  url: string;
  requests: Received[];
  /** What to answer; default 200 with `{"errcode":0,"code":0}`. */
  answer: (r: Received) => { status: number; body: string } | Promise<{ status: number; body: string }>;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const rx: Receiver = {
    url: '',
    requests: [],
    answer: () => ({ status: 200, body: '{"errcode":0,"errmsg":"ok","code":0,"msg":"success"}' }),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r: Received = {
        method: req.method ?? '',
        url: new URL(req.url ?? '/', rx.url),
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      rx.requests.push(r);
      void Promise.resolve(rx.answer(r)).then((a) => {
        res.writeHead(a.status, { 'content-type': 'application/json' });
        res.end(a.body);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  rx.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  server.closeAllConnections?.();
  return rx;
}
