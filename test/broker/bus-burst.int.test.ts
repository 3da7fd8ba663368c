/**
 * A burst on the broker's bus never overflows its stack. Aedes' in-memory bus (mqemitter) queues
 * messages beyond its concurrency and drains the queue by recursion, one frame chain per message whose
 * subscribers answer at once; the node's own followers of alerts and status do. A burst of thousands of
 * such messages behind a few hundred slower deliveries (a watcher's socket) used to end the process with
 * "Maximum call stack size exceeded".
 */
import { afterEach, expect, it } from 'vitest';
import { topics } from '../../core/topics.js';
import { type Harness, publish, startHarness, storedPoints } from '../helpers/ingest.js';
import { waitFor } from '../helpers/wait-for.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

const message = (topic: string, payload: string) =>
  ({ cmd: 'publish', topic, payload: Buffer.from(payload), qos: 0, retain: false, dup: false }) as const;

it('takes a burst of 20,000 bus messages behind 500 slower deliveries, then stores Readings as before', async () => {
  h = await startHarness({ mode: 'node' });
  const aedes = h.broker.aedes;
  // A watcher on alerts: each delivery to its socket waits a turn of the event loop.
  const received: string[] = [];
  const { client: watcher } = await h.watch();
  watcher.on('message', (topic) => received.push(topic));

  const errors: unknown[] = [];
  const onError = (e: unknown) => errors.push(e);
  process.on('uncaughtException', onError);
  try {
    // All in one turn: 500 messages the watcher receives, then 20,000 only the node's own followers
    // of status see (answered at once).
    for (let i = 0; i < 500; i++)
      aedes.publish(message('wl/v1/alerts/c-burst', `{"n":${i}}`) as never, () => {});
    for (let i = 0; i < 20_000; i++)
      aedes.publish(message(topics.status(`d-burst-${i}`), '{"online":false}') as never, () => {});
    await waitFor(async () => received.length === 500, 'the watcher to get all 500', 20_000);
  } finally {
    process.off('uncaughtException', onError);
  }
  expect(errors).toEqual([]);

  // The node still does its work.
  const device = await h.device('d-0001');
  await publish(device, 'd-0001', { ts: Date.now(), values: { turbidity: 0.4 } });
  expect(await storedPoints(h.store, 'd-0001', 'turbidity', 1)).toHaveLength(1);
});
