/**
 * What each connection costs a node, trimmed where mqtt-packet (9.0.2) and Aedes (1.2.0), both pinned,
 * allocate more than they use: a node must hold 10,000 idle devices within 150 MB, and Node and Aedes
 * already take about 6 KB of each device's share.
 */
import { BufferList } from 'bl';
import mqttPacket from 'mqtt-packet';

interface ParserInternals {
  _resetState(): void;
  _parseConnect(): object | undefined;
  settings: { protocolVersion?: number; bridgeMode?: boolean };
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
  // After a CONNECT the parser keeps the whole packet as its `settings` (client id, user name, password,
  // will: about 500 bytes a connection) and reads only two of its fields from then on: the protocol
  // version and bridge mode (parser.js). It keeps a shared object with those two instead.
  const parseConnect = Parser._parseConnect;
  Parser._parseConnect = function (this: ParserInternals) {
    const packet = parseConnect.call(this);
    if (packet !== undefined && this.settings === packet) {
      this.settings = settingsOf(this.settings.protocolVersion, this.settings.bridgeMode === true);
    }
    return packet;
  };
}

const SETTINGS = new Map<string, Readonly<{ protocolVersion?: number; bridgeMode: boolean }>>();
function settingsOf(protocolVersion: number | undefined, bridgeMode: boolean) {
  const key = `${protocolVersion}/${bridgeMode}`;
  let s = SETTINGS.get(key);
  if (s === undefined) {
    s = Object.freeze({ protocolVersion, bridgeMode });
    SETTINGS.set(key, s);
  }
  return s;
}

let clientTrimmed = false;

/**
 * Each Aedes client makes, in its constructor, a Set for its inbound QoS 2 messages awaiting PUBREL
 * (about 350 bytes) and two null-prototype dictionaries for its subscriptions and its per-broker
 * duplicate counters (about 190 bytes each), which a device that publishes at QoS 0 or 1 and subscribes
 * to nothing never touches. From the first client on, each is made on first use instead: an accessor on
 * Client.prototype takes the constructor's empty value and keeps nothing until one is read or filled.
 * Clients constructed before (the first) keep their own.
 */
export function leanAedesClients(client: object): void {
  if (clientTrimmed) return;
  clientTrimmed = true;
  const proto = Object.getPrototypeOf(client) as object;
  madeOnFirstUse(
    proto,
    '_inboundInflight',
    () => new Set<unknown>(),
    (v) => (v as Set<unknown>).size === 0,
  );
  const dictionary = () => Object.create(null) as object;
  const empty = (v: unknown) => Object.keys(v as object).length === 0;
  madeOnFirstUse(proto, 'subscriptions', dictionary, empty);
  madeOnFirstUse(proto, 'duplicates', dictionary, empty);
}

/** `proto[name]` as an accessor: made by `make` when first read, an empty assignment ignored until then. */
function madeOnFirstUse(proto: object, name: string, make: () => unknown, isEmpty: (v: unknown) => boolean) {
  const slot = Symbol(`waterline.${name}`);
  type Owner = { [slot]?: unknown };
  Object.defineProperty(proto, name, {
    configurable: true,
    get(this: Owner) {
      this[slot] ??= make();
      return this[slot];
    },
    set(this: Owner, value: unknown) {
      if (!isEmpty(value) || this[slot] !== undefined) this[slot] = value;
    },
  });
}
