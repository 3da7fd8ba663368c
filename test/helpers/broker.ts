/** A real Aedes broker with waterline's hooks on a free loopback port, for broker and ingest tests. */
import { pino } from 'pino';
import { createBroker, type WaterlineBroker } from '../../broker/create-broker.js';
import { listenTcp } from '../../broker/listen.js';
import { parseRegistry, type Registry } from '../../core/registry.js';
import { smallRegistry } from './small-registry.js';

export const SERVICE_PASSWORDS = { ingest: 'ingest-test-password', api: 'api-test-password' };

export interface TestBroker {
  broker: WaterlineBroker;
  registry: Registry;
  url: string;
  stop(): Promise<void>;
}

export async function startTestBroker(registry?: Registry): Promise<TestBroker> {
  let reg = registry;
  if (!reg) {
    const parsed = parseRegistry(smallRegistry());
    if (!parsed.ok) throw new Error('fixture registry invalid');
    reg = parsed.value;
  }
  const fixed = reg;
  const broker = await createBroker({
    registry: () => fixed,
    services: SERVICE_PASSWORDS,
    log: pino({ level: process.env.TEST_LOG ?? 'silent' }),
  });
  const listener = await listenTcp(broker, 0, '127.0.0.1');
  return {
    broker,
    registry: fixed,
    url: `mqtt://127.0.0.1:${listener.port}`,
    async stop() {
      await listener.close();
      await broker.close();
    },
  };
}
