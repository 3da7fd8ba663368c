/** Receiving QoS 1 messages from mqtt.js with the PUBACK held back until their Readings are durable. */
import type { MqttClient } from 'mqtt';

export interface Delivery {
  topic: string;
  payload: Buffer;
  /** Sends the PUBACK (on the connection the message came on; after a reconnect the broker redelivers instead). */
  ack(): void;
}

/**
 * `handle(delivery, next)`: take the message, call `next()` when ready for the following one (at once,
 * or later to push back), and `delivery.ack()` once it is durable.
 *
 * mqtt.js handles one packet at a time: it parses the next only after `handleMessage`'s callback, and
 * sends the PUBACK from that callback. Acknowledging only after a store write would thus allow one
 * write per message. Instead the callback is called at once with an error, which mqtt.js treats as
 * "do not acknowledge" (lib/handlers/publish.js: `if (err) return done(err)`) before moving on, and the
 * PUBACK is written later through the client's own packet writer. Withholding the callback stops
 * mqtt.js reading the socket, so TCP pushes back to the broker: that is the backpressure.
 */
export function receiveWithDeferredAcks(
  client: MqttClient,
  handle: (delivery: Delivery, next: () => void) => void,
): void {
  let connection = 0;
  client.on('connect', () => {
    connection++;
  });
  const sender = client as unknown as PacketSender;
  client.handleMessage = (packet, done) => {
    const on = connection;
    const messageId = packet.messageId;
    const acknowledge = packet.qos > 0 && messageId !== undefined;
    handle(
      {
        topic: packet.topic,
        payload:
          typeof packet.payload === 'string' ? Buffer.from(packet.payload) : (packet.payload as Buffer),
        ack() {
          if (!acknowledge || on !== connection || !client.connected) return;
          sender._sendPacket({ cmd: 'puback', messageId }, undefined, undefined, true);
        },
      },
      () => done(acknowledge ? DEFERRED : undefined),
    );
  };
}

/** The error that tells mqtt.js not to send the PUBACK itself; one shared instance, no stack per message. */
const DEFERRED = new Error('PUBACK deferred until the Readings are durable');

interface PacketSender {
  _sendPacket(
    packet: { cmd: 'puback'; messageId: number },
    cb?: () => void,
    cbStorePut?: () => void,
    noStore?: boolean,
  ): void;
}

/**
 * Runs `fn` (which sends many PUBACKs) with the socket corked, so they leave in one write system call
 * instead of one each: at thousands of messages a second that is most of the cost of acknowledging.
 */
export function corked(client: MqttClient, fn: () => void): void {
  const stream = client.stream as { cork?: () => void; uncork?: () => void } | undefined;
  stream?.cork?.();
  try {
    fn();
  } finally {
    stream?.uncork?.();
  }
}
