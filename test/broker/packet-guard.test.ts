/** The packet-size guard follows MQTT framing across arbitrary chunk boundaries. */
import { PassThrough } from 'node:stream';
import mqttPacket from 'mqtt-packet';
import { describe, expect, it } from 'vitest';
import { guardPacketSize } from '../../broker/packet-guard.js';

const publish = (bytes: number) =>
  mqttPacket.generate({
    cmd: 'publish',
    topic: 'wl/v1/d-0001/telemetry',
    payload: Buffer.alloc(bytes, 0x61),
    qos: 0,
    retain: false,
    dup: false,
  });

/** Feeds `data` in chunks of `size` bytes and returns the sizes the guard reported. */
function feed(data: Buffer, size: number, max: number): number[] {
  const stream = new PassThrough();
  const tripped: number[] = [];
  guardPacketSize(stream, max, (n) => tripped.push(n));
  for (let i = 0; i < data.length; i += size) stream.emit('data', data.subarray(i, i + size));
  return tripped;
}

describe('guardPacketSize', () => {
  const small = publish(100);
  const big = publish(300 * 1024);

  it('lets packets up to the limit through, however they are chunked', () => {
    const stream = Buffer.concat([small, publish(200 * 1024), small, small]);
    for (const size of [1, 3, 7, 1000, 65536, stream.length])
      expect(feed(stream, size, 256 * 1024)).toEqual([]);
  });

  it('reports a packet over the limit from its header alone, once', () => {
    const header = big.subarray(0, 5);
    expect(feed(header, 1, 256 * 1024)).toEqual([big.length]);
    expect(feed(Buffer.concat([small, big, small]), 2, 256 * 1024)).toEqual([big.length]);
  });

  it('counts the whole packet, header included, against the limit', () => {
    const exact = publish(1000);
    expect(feed(exact, 10, exact.length)).toEqual([]);
    expect(feed(exact, 10, exact.length - 1)).toEqual([exact.length]);
  });
});
