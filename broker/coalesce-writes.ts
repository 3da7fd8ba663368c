/** Batches a connection's writes from one turn of the event loop into one system call. */
import type { Duplex } from 'node:stream';

const scheduled = Symbol('waterline.coalescing');
type Coalescing = Duplex & { [scheduled]?: boolean };

function flush(stream: Coalescing): void {
  stream[scheduled] = false;
  stream.uncork();
}

/**
 * Aedes delivers each message to a subscriber from its own `setImmediate`, and mqtt-packet uncorks
 * after each packet, so ingest would get one `writev` per message. Holding one extra cork until the
 * end of the current loop turn sends everything written in that turn together. One shared function,
 * and a flag on the stream: no closure per connection, since idle devices must stay cheap.
 */
function coalescingWrite(this: Coalescing, ...args: Parameters<Duplex['write']>): boolean {
  if (!this[scheduled] && !this.destroyed) {
    this[scheduled] = true;
    this.cork();
    setImmediate(flush, this);
  }
  return Object.getPrototypeOf(this).write.apply(this, args);
}

export function coalesceWrites(stream: Duplex): void {
  stream.write = coalescingWrite as Duplex['write'];
}
