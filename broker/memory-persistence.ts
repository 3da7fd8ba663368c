/** Aedes' in-memory persistence with indexed outgoing queues: a QoS 1 acknowledgement costs O(1), not O(queue). */
import { Readable } from 'node:stream';
import MemoryPersistence from 'aedes-persistence/asyncPersistence.js';

/** The fields of a queued packet this index reads; the rest travels untouched. */
interface QueuedPacket {
  brokerId?: string;
  brokerCounter?: number;
  messageId?: number | null;
}

interface Entry {
  seq: number;
  packet: QueuedPacket;
  /** `originKey(packet)` as last indexed. */
  origin: string;
}

/** Entries sharing a message id, in queue order; a Set so removing any one of them is O(1). */
class Bucket {
  entries = new Set<Entry>();
  private maxSeq = -1;

  add(entry: Entry): void {
    if (entry.seq > this.maxSeq) {
      this.entries.add(entry);
      this.maxSeq = entry.seq;
      return;
    }
    // Out of order (an entry re-keyed behind newer ones): rare, so rebuilding in order is fine.
    this.entries = new Set([...this.entries, entry].sort((a, b) => a.seq - b.seq));
  }

  first(): Entry | undefined {
    return this.entries.values().next().value;
  }
}

/** One client's outgoing queue: insertion order kept by a Map, plus two lookups into it. */
class OutgoingQueue {
  private next = 0;
  readonly order = new Map<number, Entry>();
  private readonly byOrigin = new Map<string, Entry>();
  /**
   * Entries per message id, in queue order (ids repeat only after the 16-bit wrap). Unsent entries
   * have none and are found too: Aedes clears "the first one without an id" for a skipped delivery.
   */
  private readonly byMessageId = new Map<number, Bucket>();

  push(packet: QueuedPacket): void {
    const entry = { seq: this.next++, packet, origin: '' };
    this.order.set(entry.seq, entry);
    this.index(entry);
  }

  /** The queue entry `packet` refers to, as aedes-persistence's linear scan would find it (see update). */
  find(packet: QueuedPacket): { entry: Entry; sameOrigin: boolean } | null {
    const origin = this.byOrigin.get(originKey(packet));
    let byId: Entry | undefined;
    for (const e of this.byMessageId.get(idKey(packet.messageId))?.entries ?? []) {
      if (e.packet.brokerId !== packet.brokerId) {
        byId = e;
        break;
      }
    }
    if (origin && (!byId || origin.seq < byId.seq)) return { entry: origin, sameOrigin: true };
    return byId ? { entry: byId, sameOrigin: false } : null;
  }

  replace(entry: Entry, packet: QueuedPacket): void {
    this.unindex(entry);
    entry.packet = packet;
    this.index(entry);
  }

  setMessageId(entry: Entry, messageId: number | null | undefined): void {
    this.unindex(entry);
    entry.packet.messageId = messageId;
    this.index(entry);
  }

  /** Removes and returns the first entry, in queue order, with this message id. */
  take(messageId: number | null | undefined): QueuedPacket | undefined {
    const entry = this.byMessageId.get(idKey(messageId))?.first();
    if (!entry) return undefined;
    this.unindex(entry);
    this.order.delete(entry.seq);
    return entry.packet;
  }

  private index(entry: Entry): void {
    entry.origin = originKey(entry.packet);
    if (!this.byOrigin.has(entry.origin)) this.byOrigin.set(entry.origin, entry);
    const id = idKey(entry.packet.messageId);
    let bucket = this.byMessageId.get(id);
    if (!bucket) {
      bucket = new Bucket();
      this.byMessageId.set(id, bucket);
    }
    bucket.add(entry);
  }

  private unindex(entry: Entry): void {
    if (this.byOrigin.get(entry.origin) === entry) this.byOrigin.delete(entry.origin);
    const id = idKey(entry.packet.messageId);
    const bucket = this.byMessageId.get(id);
    if (!bucket) return;
    bucket.entries.delete(entry);
    if (bucket.entries.size === 0) this.byMessageId.delete(id);
  }
}

const originKey = (p: QueuedPacket) => `${p.brokerId}\u0000${p.brokerCounter}`;
/** Message ids are 1..65535 (MQTT 3.1.1 §2.3.1); the original compares with ===, so absent ≠ null. */
const idKey = (id: number | null | undefined) => (id === undefined ? -1 : id === null ? -2 : id);

/**
 * aedes-persistence 11 keeps each client's outgoing QoS 1 queue in an array and scans it on every
 * PUBACK and every delivery, so a subscriber with n messages in flight costs O(n) per message: with
 * ingest acknowledging only after its store write, that was the broker's largest cost under load.
 * Same semantics (its abstract test suite runs against this class), indexed.
 */
export class IndexedMemoryPersistence extends MemoryPersistence {
  private readonly queues = new Map<string, OutgoingQueue>();

  private queue(clientId: string): OutgoingQueue {
    let q = this.queues.get(clientId);
    if (!q) {
      q = new OutgoingQueue();
      this.queues.set(clientId, q);
    }
    return q;
  }

  override async outgoingEnqueue(sub: { clientId: string }, packet: QueuedPacket): Promise<void> {
    this.queue(sub.clientId).push(new MemoryPersistence.Packet(packet));
  }

  override async outgoingEnqueueCombi(subs: { clientId: string }[], packet: QueuedPacket): Promise<void> {
    for (const sub of subs) this.queue(sub.clientId).push(new MemoryPersistence.Packet(packet));
  }

  override async outgoingUpdate(client: { id: string }, packet: QueuedPacket): Promise<void> {
    const q = this.queue(client.id);
    const found = q.find(packet);
    if (!found) throw new Error('no such packet');
    if (found.sameOrigin) q.setMessageId(found.entry, packet.messageId);
    else q.replace(found.entry, packet);
  }

  override async outgoingClearMessageId(
    client: { id: string },
    packet: QueuedPacket,
  ): Promise<QueuedPacket | undefined> {
    const q = this.queues.get(client.id);
    const taken = q?.take(packet.messageId);
    if (q && q.order.size === 0) this.queues.delete(client.id);
    return taken;
  }

  override outgoingStream(client: { id: string }): Readable {
    // A copy, as the original: clearing while streaming must not skip entries.
    const q = this.queues.get(client.id);
    return Readable.from(q ? [...q.order.values()].map((e) => e.packet) : []);
  }
}
