/** The pages' SSE reader against a real HTTP server: parsing, the Authorization header, resume with Last-Event-ID. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createSseParser, type SseMessage } from '../../web/client/sse-parser.js';
import { openStream, type Stream, type StreamState } from '../../web/client/sse-stream.js';
import { waitFor } from '../helpers/wait-for.js';

describe('the SSE parser', () => {
  it('splits events on blank lines across chunks and line endings, and keeps the last id', () => {
    const got: SseMessage[] = [];
    const parser = createSseParser((m) => got.push(m));
    parser.push('\uFEFFretry: 2000\r\n: connected\r\n\r\nevent: alert\nid: 7\nda');
    parser.push('ta: {"a":1}\n\nevent: alert\rdata: line1\rdata: line2\r');
    parser.push('\r\nid: 9\n\n');
    expect(got).toEqual([
      { event: 'alert', data: '{"a":1}', lastEventId: '7' },
      { event: 'alert', data: 'line1\nline2', lastEventId: '7' },
    ]);
    expect(parser.retryMs).toBe(2000);
  });

  it('ignores comments and unknown fields, and names unnamed events "message"', () => {
    const got: SseMessage[] = [];
    const parser = createSseParser((m) => got.push(m), '3');
    parser.push(': heartbeat\n\nfoo: bar\ndata:x\n\n');
    expect(got).toEqual([{ event: 'message', data: 'x', lastEventId: '3' }]);
  });
});

describe('the SSE stream reader', () => {
  let server: Server | undefined;
  let stream: Stream | undefined;
  afterEach(async () => {
    stream?.close();
    server?.closeAllConnections();
    await new Promise((r) => server?.close(r));
  });

  const listen = async (handler: (req: IncomingMessage, res: ServerResponse) => void) => {
    server = createServer(handler);
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/stream`;
  };

  it('sends the key as a header, and after a dropped connection resumes from the last event id', async () => {
    const seen: { auth?: string; lastEventId?: string }[] = [];
    const url = await listen((req, res) => {
      seen.push({
        auth: req.headers.authorization,
        lastEventId: req.headers['last-event-id'] as string | undefined,
      });
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      if (seen.length === 1) {
        res.write(
          'retry: 50\n\nevent: alert\nid: 41\ndata: {"n":1}\n\nevent: alert\nid: 42\ndata: {"n":2}\n\n',
        );
        // Dropped without a proper end, as a network failure would.
        setTimeout(() => res.socket?.destroy(), 20);
      } else {
        res.write('event: alert\nid: 43\ndata: {"n":3}\n\n');
      }
    });
    const data: string[] = [];
    const states: StreamState[] = [];
    const opens: boolean[] = [];
    stream = openStream({
      url,
      headers: () => ({ authorization: 'Bearer k-1' }),
      onMessage: (m) => data.push(m.data),
      onState: (s) => states.push(s),
      onOpen: (resumed) => opens.push(resumed),
      minDelayMs: 20,
    });
    await waitFor(async () => data.length === 3, 'three events over two connections', 5000);
    expect(data).toEqual(['{"n":1}', '{"n":2}', '{"n":3}']);
    expect(seen).toEqual([
      { auth: 'Bearer k-1', lastEventId: undefined },
      { auth: 'Bearer k-1', lastEventId: '42' },
    ]);
    expect(opens).toEqual([false, true]);
    expect(states).toContain('retrying');
    expect(stream.lastEventId).toBe('43');
  });

  it('reopens a connection that has gone silent for longer than the idle timeout', async () => {
    const lastIds: (string | undefined)[] = [];
    const url = await listen((req, res) => {
      lastIds.push(req.headers['last-event-id'] as string | undefined);
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      // Then nothing, not even a heartbeat: a half-open connection.
      res.write(`event: alert\nid: ${lastIds.length}\ndata: x\n\n`);
    });
    stream = openStream({
      url,
      headers: () => ({}),
      onMessage: () => {},
      onState: () => {},
      minDelayMs: 10,
      idleTimeoutMs: 100,
    });
    await waitFor(async () => lastIds.length >= 2, 'a second connection', 5000);
    expect(lastIds.slice(0, 2)).toEqual([undefined, '1']);
  });

  it('stops on 401 instead of retrying', async () => {
    let calls = 0;
    const url = await listen((_req, res) => {
      calls++;
      res.writeHead(401).end();
    });
    let fatal = 0;
    stream = openStream({
      url,
      headers: () => ({}),
      onMessage: () => {},
      onState: () => {},
      onFatal: (s) => (fatal = s),
      minDelayMs: 10,
    });
    await waitFor(async () => fatal === 401, 'the 401 reported', 5000);
    expect(calls).toBe(1);
  });

  it('retries with backoff while the server errors, then connects', async () => {
    let calls = 0;
    const url = await listen((_req, res) => {
      calls++;
      if (calls < 3) return void res.writeHead(503).end();
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('event: alert\ndata: ok\n\n');
    });
    const data: string[] = [];
    stream = openStream({
      url,
      headers: () => ({}),
      onMessage: (m) => data.push(m.data),
      onState: () => {},
      minDelayMs: 10,
    });
    await waitFor(async () => data.length === 1, 'the event after two failures', 5000);
    expect(calls).toBe(3);
  });
});
