/**
 * The HTTP transport under the client's WriteApi (passed as `new InfluxDB({ transport })`): keep-alive
 * sockets, the credentials of the connection, and gzip at level 1 above a size threshold. The client's
 * own transport gzips every body over 1,000 bytes at the default level, which cost more CPU here than
 * it saved on a loopback link, and it cannot be told the level.
 */
import http from 'node:http';
import https from 'node:https';
import { gzip } from 'node:zlib';
import {
  type CommunicationObserver,
  HttpError,
  RequestTimedOutError,
  type SendOptions,
  type Transport,
} from '@influxdata/influxdb-client';

export interface TransportOptions {
  url: string;
  headers: Record<string, string>;
  timeoutMs: number;
  /** Bodies larger than this many bytes are gzipped; Infinity = never. */
  gzipThreshold: number;
}

export interface WriteTransport extends Transport {
  /** Frees the keep-alive sockets. */
  close(): void;
}

/** An error body is kept only this long: enough for InfluxDB's `{"error": "..."}`. */
const KEEP_BODY = 4096;

export function createWriteTransport(opts: TransportOptions): WriteTransport {
  const base = new URL(opts.url);
  const lib = base.protocol === 'https:' ? https : http;
  const agent = new lib.Agent({ keepAlive: true, maxSockets: 8 });
  const prefix = opts.url.replace(/\/+$/, '');

  function post(
    path: string,
    body: Buffer,
    headers: Record<string, string | number>,
    callbacks: Partial<CommunicationObserver<Uint8Array>> | undefined,
  ): void {
    const req = lib.request(`${prefix}${path}`, {
      method: 'POST',
      agent,
      headers: { ...headers, ...opts.headers, 'content-length': body.length },
      timeout: opts.timeoutMs,
    });
    req.on('timeout', () => req.destroy(new RequestTimedOutError()));
    req.on('error', (e) => callbacks?.error?.(e));
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        if (text.length < KEEP_BODY) text += chunk;
      });
      res.on('error', (e) => callbacks?.error?.(e));
      res.on('end', () => {
        const status = res.statusCode ?? 0;
        if (status >= 200 && status < 300) {
          callbacks?.responseStarted?.(res.headers, status);
          callbacks?.complete?.();
          return;
        }
        const retryAfter = res.headers['retry-after'];
        callbacks?.error?.(
          new HttpError(
            status,
            res.statusMessage,
            text.slice(0, KEEP_BODY),
            Array.isArray(retryAfter) ? retryAfter[0] : retryAfter,
            res.headers['content-type'],
            undefined,
            res.headers,
          ),
        );
      });
    });
    req.end(body);
  }

  const unsupported = (what: string) => () => {
    throw new Error(`the write transport does not ${what}: queries go over /query with fetch`);
  };

  return {
    send(path, requestBody, options: SendOptions, callbacks) {
      const body = Buffer.from(requestBody, 'utf8');
      const headers = { ...options.headers };
      if (body.length <= opts.gzipThreshold) {
        post(path, body, headers, callbacks);
        return;
      }
      // Level 1: most of the size saving for a fraction of the CPU of the default level 6 on line protocol.
      gzip(body, { level: 1 }, (e, zipped) => {
        if (e) callbacks?.error?.(e);
        else post(path, zipped, { ...headers, 'content-encoding': 'gzip' }, callbacks);
      });
    },
    request: unsupported('request'),
    iterate: unsupported('iterate'),
    chunkCombiner: {
      concat: unsupported('combine chunks'),
      toUtf8String: unsupported('combine chunks'),
      copy: unsupported('combine chunks'),
    },
    close: () => agent.destroy(),
  };
}
