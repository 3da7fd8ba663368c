/** Closes a connection as soon as an MQTT packet header announces more bytes than the hard limit. */
import type { Duplex } from 'node:stream';

/** CONTRACT §3: a packet over 256 KiB makes the broker close the connection (ingest judges 64 KiB). */
export const MAX_PACKET_BYTES = 256 * 1024;

/**
 * Follows the packet framing of the byte stream (MQTT 3.1.1 §2.2: one fixed-header byte, then the
 * Remaining Length in 1–4 bytes of 7 bits each, §2.2.3) without parsing packets. The MQTT parser
 * would otherwise buffer a whole announced packet, up to 256 MB, before anything could judge it.
 *
 * It listens to 'data', which a stream read through 'readable' (as Aedes reads) emits on each
 * `read()` before the parser sees the chunk, so the oversize packet never reaches the broker whole.
 */
export function guardPacketSize(
  stream: Duplex,
  maxBytes: number,
  onOversize: (announced: number) => void,
  onBytes?: (n: number) => void,
): void {
  // State survives across chunks: which byte of the header we are in, and what is left to skip.
  let skip = 0; // payload bytes of the current packet still to come
  let lengthBytes = -1; // -1: expecting a fixed-header byte; 0..3: reading Remaining Length
  let length = 0;
  let multiplier = 1;
  let tripped = false;

  stream.on('data', (chunk: Buffer) => {
    onBytes?.(chunk.length);
    if (tripped) return;
    let i = 0;
    const n = chunk.length;
    while (i < n) {
      if (skip > 0) {
        const step = Math.min(skip, n - i);
        skip -= step;
        i += step;
        continue;
      }
      if (lengthBytes < 0) {
        i++; // the fixed-header byte: packet type and flags
        lengthBytes = 0;
        length = 0;
        multiplier = 1;
        continue;
      }
      const byte = chunk[i++]!;
      length += (byte & 0x7f) * multiplier;
      multiplier *= 128;
      lengthBytes++;
      if (byte & 0x80 && lengthBytes < 4) continue;
      // A fifth length byte is malformed (§2.2.3); the MQTT parser rejects it, we stop following.
      const packetBytes = 1 + lengthBytes + length;
      lengthBytes = -1;
      if (packetBytes > maxBytes) {
        tripped = true;
        onOversize(packetBytes);
        return;
      }
      skip = length;
    }
  });
}
