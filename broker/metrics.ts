/** The broker's Prometheus counters and gauges, rendered in the text exposition format 0.0.4. */

/** Why a connection was refused, a publish dropped or a subscription denied: one label value each. */
export type RefusedAuth = 'anonymous' | 'bad_credentials' | 'client_id' | 'throttled' | 'protocol';
export type RefusedPublish = 'acl' | 'rate' | 'oversize' | 'protocol';

export interface BrokerMetrics {
  connectionOpened(): void;
  bytesIn(n: number): void;
  clientConnected(kind: string): void;
  /** A client left; `bytesOut` is what its connection sent in all. */
  clientDisconnected(kind: string, bytesOut: number): void;
  messageIn(): void;
  messageOut(): void;
  authRefused(reason: RefusedAuth): void;
  publishRefused(reason: RefusedPublish): void;
  subscribeRefused(): void;
  publishDelayed(): void;
  /** Prometheus text format, for the API's or the broker's own `/metrics`. */
  render(): string;
}

/**
 * Nothing here is kept per connection (memory per idle device is a goal): bytes in are counted as they
 * are read, bytes out summed over the connected clients when scraped (`liveBytesOut`) plus those gone.
 */
export function createBrokerMetrics(liveBytesOut: () => number, prefix = 'waterline_broker'): BrokerMetrics {
  const counters = {
    connections: 0,
    bytesIn: 0,
    messagesIn: 0,
    messagesOut: 0,
    subscribeRefused: 0,
    publishDelayed: 0,
    closedBytesOut: 0,
  };
  const authRefused = new Map<RefusedAuth, number>();
  const publishRefused = new Map<RefusedPublish, number>();
  const clients = new Map<string, number>();

  const bump = <K>(m: Map<K, number>, k: K, by = 1) => m.set(k, (m.get(k) ?? 0) + by);

  return {
    connectionOpened: () => counters.connections++,
    bytesIn: (n) => {
      counters.bytesIn += n;
    },
    clientConnected: (kind) => bump(clients, kind),
    clientDisconnected: (kind, bytesOut) => {
      bump(clients, kind, -1);
      counters.closedBytesOut += bytesOut;
    },
    messageIn: () => counters.messagesIn++,
    messageOut: () => counters.messagesOut++,
    authRefused: (reason) => bump(authRefused, reason),
    publishRefused: (reason) => bump(publishRefused, reason),
    subscribeRefused: () => counters.subscribeRefused++,
    publishDelayed: () => counters.publishDelayed++,
    render() {
      const out: string[] = [];
      const metric = (name: string, type: string, help: string, rows: [string, number][]) => {
        out.push(`# HELP ${prefix}_${name} ${help}`, `# TYPE ${prefix}_${name} ${type}`);
        for (const [labels, v] of rows) out.push(`${prefix}_${name}${labels} ${v}`);
      };
      const labelled = <K extends string>(label: string, m: Map<K, number>): [string, number][] =>
        [...m].map(([k, v]) => [`{${label}="${k}"}`, v]);
      metric('connections_total', 'counter', 'Network connections accepted.', [['', counters.connections]]);
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
      metric('bytes_in_total', 'counter', 'Bytes received on MQTT connections.', [['', counters.bytesIn]]);
      metric('bytes_out_total', 'counter', 'Bytes sent to authenticated MQTT clients.', [
        ['', counters.closedBytesOut + liveBytesOut()],
      ]);
      return `${out.join('\n')}\n`;
    },
  };
}
