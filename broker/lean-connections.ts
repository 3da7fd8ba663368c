/**
 * What each connection costs a node, trimmed where mqtt-packet (9.0.2) and Aedes (1.2.0), both pinned,
 * allocate more than they use: a node must hold 10,000 idle devices within 150 MB, and Node and Aedes
 * already take about 6 KB of each device's share.
 */
import { BufferList } from 'bl';
import mqttPacket from 'mqtt-packet';

interface ParserInternals {
  _resetState(): void;
  packet: object;
  error: Error | null;
  _list: unknown;
  _stateCounter: number;
  _states: readonly string[];
}

// The parser's state machine, the same for every connection.
const STATES = Object.freeze(['_parseHeader', '_parseLength', '_parsePayload', '_newPacket']);
let parserTrimmed = false;

/** Once per process, before the first connection. */
export function leanMqttPacket(): void {
  if (parserTrimmed) return;
  parserTrimmed = true;
  // Its writer fills a table of 65,536 two-byte Buffers on the first write (about 6.5 MB of heap) to
  // spare one small allocation per packet id.
  mqttPacket.writeToStream.cacheNumbers = false;
  // Each connection's parser buffers its input in a `bl` stream: a Duplex, with its readable and
  // writable state and listeners, about 1 KB, of which the parser uses only the BufferList methods
  // (append, consume, length, readUInt8/16BE/32BE, slice, toString). A plain BufferList does the same.
  // Its own _resetState (parser.js), with that one change: wrapping it would still build the stream.
  const sample = mqttPacket.parser() as unknown as ParserInternals;
  const Packet = sample.packet.constructor as new () => object;
  const Parser = Object.getPrototypeOf(sample) as ParserInternals;
  Parser._resetState = function (this: ParserInternals) {
    this.packet = new Packet();
    this.error = null;
    this._list = new BufferList();
    this._stateCounter = 0;
    this._states = STATES;
  };
}

const INFLIGHT = Symbol('waterline.inboundInflight');
type ClientInternals = { [INFLIGHT]?: Set<number> };
let clientTrimmed = false;

/**
 * Each Aedes client gets a Set for its inbound QoS 2 messages awaiting PUBREL (about 350 bytes), which
 * a device publishing at QoS 0 or 1 never touches. From the first client on, the Set is made on first
 * use instead: an accessor on Client.prototype takes the constructor's assignment of an empty Set.
 * Clients constructed before (the first) keep their own.
 */
export function leanAedesClients(client: object): void {
  if (clientTrimmed) return;
  clientTrimmed = true;
  Object.defineProperty(Object.getPrototypeOf(client), '_inboundInflight', {
    configurable: true,
    get(this: ClientInternals): Set<number> {
      this[INFLIGHT] ??= new Set();
      return this[INFLIGHT];
    },
    set(this: ClientInternals, set: Set<number>) {
      if (set.size > 0 || this[INFLIGHT]) this[INFLIGHT] = set;
    },
  });
}
