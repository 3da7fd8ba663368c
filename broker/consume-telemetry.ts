/** In a node, telemetry ends at the in-path ingest: it is not carried on the bus to subscribers. */
import type { Aedes, Client, PublishPacket } from 'aedes';

type Done = (e?: Error) => void;
type Publish = (packet: PublishPacket, client: Client | null | Done, done?: Done) => void;

/**
 * Aedes hands every accepted PUBLISH to `broker.publish` after the PUBACK (lib/handlers/publish.js),
 * which queries persistence for offline sessions and emits it on the bus (with Redis, a network round
 * trip per Reading). Telemetry from a device has been stored by then and nobody needs it on the bus,
 * so it stops here; the broker's own messages, wills and other publishers go on as before.
 */
export function consumeTelemetry(aedes: Aedes, fromDevice: (client: Client) => boolean): void {
  const publish = aedes.publish.bind(aedes) as Publish;
  const consumed: Publish = (packet, client, done) => {
    // Aedes' own calls pass the client; `publish(packet, done)` is the public form.
    if (client && typeof client !== 'function' && fromDevice(client) && packet.topic.endsWith('/telemetry')) {
      return done?.();
    }
    publish(packet, client, done);
  };
  (aedes as unknown as { publish: Publish }).publish = consumed;
}
