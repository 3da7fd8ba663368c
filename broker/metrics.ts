/** The broker's Prometheus counters and gauges, through prom-client with a registry of their own. */
import { Counter, Gauge, Registry } from 'prom-client';

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
  render(): Promise<string>;
  /** The metrics themselves, for merging into another exposition (`Registry.merge`) without duplicates. */
  registry: Registry;
}

/**
 * Nothing here is kept per connection (memory per idle device is a goal): bytes in are counted as they
 * are read, bytes out summed over the connected clients when scraped (`liveBytesOut`) plus those gone.
 * A registry per broker (never prom-client's global one), so two brokers in one process do not collide.
 */
export function createBrokerMetrics(liveBytesOut: () => number, prefix = 'waterline_broker'): BrokerMetrics {
  const registry = new Registry();
  const counter = (name: string, help: string) =>
    new Counter({ name: `${prefix}_${name}`, help, registers: [registry] });
  const connections = counter('connections_total', 'Network connections accepted.');
  const clients = new Gauge({
    name: `${prefix}_clients`,
    help: 'Authenticated MQTT clients connected now, by kind.',
    labelNames: ['kind'] as const,
    registers: [registry],
  });
  const messagesIn = counter('messages_in_total', 'PUBLISH packets accepted from clients.');
  const messagesOut = counter('messages_out_total', 'PUBLISH packets forwarded to subscribers.');
  const authRefused = new Counter({
    name: `${prefix}_auth_refused_total`,
    help: 'Connections refused, by reason.',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  const publishRefused = new Counter({
    name: `${prefix}_publish_refused_total`,
    help: 'Publishes refused (the connection is closed), by reason.',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  const subscribeRefused = counter('subscribe_refused_total', 'Subscription filters refused (SUBACK 0x80).');
  const publishDelayed = counter(
    'publish_delayed_total',
    'Publishes held back by the per-device rate limit.',
  );
  const bytesIn = counter('bytes_in_total', 'Bytes received on MQTT connections.');
  let closedBytesOut = 0;
  new Counter({
    name: `${prefix}_bytes_out_total`,
    help: 'Bytes sent to authenticated MQTT clients.',
    registers: [registry],
    // Summed at scrape time: nothing is counted per write.
    collect() {
      this.reset();
      this.inc(closedBytesOut + liveBytesOut());
    },
  });

  return {
    connectionOpened: () => connections.inc(),
    bytesIn: (n) => bytesIn.inc(n),
    clientConnected: (kind) => clients.inc({ kind }),
    clientDisconnected: (kind, bytesOut) => {
      clients.dec({ kind });
      closedBytesOut += bytesOut;
    },
    messageIn: () => messagesIn.inc(),
    messageOut: () => messagesOut.inc(),
    authRefused: (reason) => authRefused.inc({ reason }),
    publishRefused: (reason) => publishRefused.inc({ reason }),
    subscribeRefused: () => subscribeRefused.inc(),
    publishDelayed: () => publishDelayed.inc(),
    render: () => registry.metrics(),
    registry,
  };
}
