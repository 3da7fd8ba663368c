/** The broker's Prometheus counters and gauges, rendered in the text exposition format 0.0.4. */
import type { Duplex } from 'node:stream';

/** Why a connection was refused, a publish dropped or a subscription denied: one label value each. */
export type RefusedAuth = 'anonymous' | 'bad_credentials' | 'client_id' | 'throttled';
export type RefusedPublish = 'acl' | 'rate' | 'oversize';

export interface BrokerMetrics {
  connectionOpened(socket: CountedSocket): void;
  clientConnected(kind: string): void;
  clientDisconnected(kind: string): void;
  messageIn(): void;
  messageOut(): void;
  authRefused(reason: RefusedAuth): void;
  publishRefused(reason: RefusedPublish): void;
  subscribeRefused(): void;
  publishDelayed(): void;
  /** Prometheus text format, for the API's or the broker's own `/metrics`. */
  render(): string;
}

/** What a listener hands over: a stream with the byte counters of `net.Socket` (TLS and WebSocket pass theirs). */
export interface CountedSocket {
  stream: Duplex;
  bytesRead(): number;
  bytesWritten(): number;
}

export function createBrokerMetrics(prefix = 'waterline_broker'): BrokerMetrics {
  const counters = {
    connections: 0,
    messagesIn: 0,
    messagesOut: 0,
    subscribeRefused: 0,
    publishDelayed: 0,
    closedBytesIn: 0,
    closedBytesOut: 0,
  };
  const authRefused = new Map<RefusedAuth, number>();
  const publishRefused = new Map<RefusedPublish, number>();
  const clients = new Map<string, number>();
  // Byte counters live on the sockets; the open ones are summed when scraped, closed ones folded in here.
  const open = new Set<CountedSocket>();

  const bump = <K>(m: Map<K, number>, k: K, by = 1) => m.set(k, (m.get(k) ?? 0) + by);

  return {
    connectionOpened(socket) {
      counters.connections++;
      open.add(socket);
      socket.stream.once('close', () => {
        open.delete(socket);
        counters.closedBytesIn += socket.bytesRead();
        counters.closedBytesOut += socket.bytesWritten();
      });
    },
    clientConnected: (kind) => bump(clients, kind),
    clientDisconnected: (kind) => bump(clients, kind, -1),
    messageIn: () => counters.messagesIn++,
    messageOut: () => counters.messagesOut++,
    authRefused: (reason) => bump(authRefused, reason),
    publishRefused: (reason) => bump(publishRefused, reason),
    subscribeRefused: () => counters.subscribeRefused++,
    publishDelayed: () => counters.publishDelayed++,
    render() {
      let bytesIn = counters.closedBytesIn;
      let bytesOut = counters.closedBytesOut;
      for (const s of open) {
        bytesIn += s.bytesRead();
        bytesOut += s.bytesWritten();
      }
      const out: string[] = [];
      const metric = (name: string, type: string, help: string, rows: [string, number][]) => {
        out.push(`# HELP ${prefix}_${name} ${help}`, `# TYPE ${prefix}_${name} ${type}`);
        for (const [labels, v] of rows) out.push(`${prefix}_${name}${labels} ${v}`);
      };
      const labelled = <K extends string>(label: string, m: Map<K, number>): [string, number][] =>
        [...m].map(([k, v]) => [`{${label}="${k}"}`, v]);
      metric('connections_total', 'counter', 'Network connections accepted.', [['', counters.connections]]);
      metric('sockets_open', 'gauge', 'Network connections open now.', [['', open.size]]);
      metric(
        'clients',
        'gauge',
        'Authenticated MQTT clients connected now, by kind.',
        labelled('kind', clients),
      );
      metric('messages_in_total', 'counter', 'PUBLISH packets accepted from clients.', [
        ['', counters.messagesIn],
      ]);
      metric('messages_out_total', 'counter', 'PUBLISH packets forwarded to subscribers.', [
        ['', counters.messagesOut],
      ]);
      metric(
        'auth_refused_total',
        'counter',
        'Connections refused, by reason.',
        labelled('reason', authRefused),
      );
      metric(
        'publish_refused_total',
        'counter',
        'Publishes refused (the connection is closed), by reason.',
        labelled('reason', publishRefused),
      );
      metric('subscribe_refused_total', 'counter', 'Subscription filters refused (SUBACK 0x80).', [
        ['', counters.subscribeRefused],
      ]);
      metric('publish_delayed_total', 'counter', 'Publishes held back by the per-device rate limit.', [
        ['', counters.publishDelayed],
      ]);
      metric('bytes_in_total', 'counter', 'Bytes received on MQTT connections.', [['', bytesIn]]);
      metric('bytes_out_total', 'counter', 'Bytes sent on MQTT connections.', [['', bytesOut]]);
      return `${out.join('\n')}\n`;
    },
  };
}
