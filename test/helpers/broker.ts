/** A real Aedes broker with waterline's hooks on a free loopback port, for broker and ingest tests. */
import { pino } from 'pino';
import { type BrokerDeps, createBroker, type WaterlineBroker } from '../../broker/create-broker.js';
import { type Listening, listenTcp } from '../../broker/listen.js';
import { listenWebSocket } from '../../broker/listen-ws.js';
import { parseRegistry, type Registry } from '../../core/registry.js';
import { smallRegistry } from './small-registry.js';

export const SERVICE_PASSWORDS = { ingest: 'ingest-test-password', api: 'api-test-password' };

export interface TestBroker {
  broker: WaterlineBroker;
  registry: Registry;
  url: string;
  /** `ws://…` when started with `{ ws: true }`. */
  wsUrl: string | null;
  stop(): Promise<void>;
}

export type TestBrokerOptions = Partial<
  Pick<BrokerDeps, 'deviceRate' | 'authThrottle' | 'backends' | 'log'>
> & {
  ws?: boolean;
};

export async function startTestBroker(
  registry?: Registry,
  opts: TestBrokerOptions = {},
): Promise<TestBroker> {
  let reg = registry;
  if (!reg) {
    const parsed = parseRegistry(smallRegistry());
    if (!parsed.ok) throw new Error('fixture registry invalid');
    reg = parsed.value;
  }
  const fixed = reg;
  const { ws, ...deps } = opts;
  const broker = await createBroker({
    registry: () => fixed,
    services: SERVICE_PASSWORDS,
    log: pino({ level: process.env.TEST_LOG ?? 'silent' }),
    ...deps,
  });
  const listeners: Listening[] = [await listenTcp(broker, 0, '127.0.0.1')];
  if (ws) listeners.push(await listenWebSocket(broker, 0, '127.0.0.1'));
  return {
    broker,
    registry: fixed,
    url: `mqtt://127.0.0.1:${listeners[0]!.port}`,
    wsUrl: ws ? `ws://127.0.0.1:${listeners[1]!.port}/mqtt` : null,
    async stop() {
      const closed = listeners.map((l) => l.close());
      await broker.close();
      await Promise.all(closed);
    },
  };
}
