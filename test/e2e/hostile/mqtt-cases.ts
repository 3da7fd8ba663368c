/** Hostile MQTT inputs: CONNECTs a broker must refuse, topics a device may not touch, payloads ingest must reject. */
import { connectPacket, withConnectFlags, withProtocolLevel } from './mqtt-raw.js';

export interface ConnectCase {
  name: string;
  bytes: Buffer;
}

/** CONNECTs that must never be accepted (no CONNACK with return code 0). */
export function badConnects(deviceToken: (id: string) => string): ConnectCase[] {
  const good = { clientId: 'd-0002:hostile', username: 'd-0002', password: deviceToken('d-0002') };
  const c = (name: string, bytes: Buffer) => ({ name, bytes });
  return [
    c('wrong password', connectPacket({ ...good, password: 'not-the-token' })),
    c('empty password', connectPacket({ ...good, password: '' })),
    c('unknown device', connectPacket({ clientId: 'd-7777', username: 'd-7777', password: 'x' })),
    c('anonymous', connectPacket({ clientId: 'anon' })),
    c('empty username', connectPacket({ clientId: 'x', username: '', password: 'x' })),
    c('another device’s client id', connectPacket({ ...good, clientId: 'd-0001' })),
    c('another device’s client id with a suffix', connectPacket({ ...good, clientId: 'd-0001:modem' })),
    c('a service’s client id', connectPacket({ ...good, clientId: 'svc:ingest' })),
    c(
      'a key with a wrong secret',
      connectPacket({ clientId: 'key:planner', username: 'key:planner', password: 'guess' }),
    ),
    c(
      'ingest’s name with a device token',
      connectPacket({ clientId: 'svc:ingest', username: 'svc:ingest', password: deviceToken('d-0002') }),
    ),
    c(
      'protocol name MQIsdp at level 4',
      connectPacket({ ...good, protocolId: 'MQIsdp', protocolVersion: 4 }),
    ),
    c('protocol name MQTX', connectPacket({ ...good, protocolId: 'MQTX' })),
    c('protocol name mqtt (lower case)', connectPacket({ ...good, protocolId: 'mqtt' })),
    c('protocol level 0', withProtocolLevel(connectPacket(good), 0)),
    c('protocol level 2', withProtocolLevel(connectPacket(good), 2)),
    c('protocol level 6', withProtocolLevel(connectPacket(good), 6)),
    c('protocol level 255', withProtocolLevel(connectPacket(good), 255)),
    // MQTT 3.1.1 §3.1.2-3: the reserved flag must be 0.
    c('reserved connect flag set', withConnectFlags(connectPacket(good), 0xc3)),
    // §3.1.2-22: a password flag without the username flag.
    c('password without username', withConnectFlags(connectPacket(good), 0x42)),
    // §3.1.2-11/-13/-15: will QoS and retain only with the will flag.
    c('will QoS 1 without a will', withConnectFlags(connectPacket(good), 0xca)),
    c('will retain without a will', withConnectFlags(connectPacket(good), 0xe2)),
    c('garbage instead of CONNECT', Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n')),
    c('a PUBLISH before CONNECT', Buffer.from([0x30, 0x05, 0x00, 0x01, 0x74, 0x68, 0x69])),
    c('a truncated CONNECT claiming 200 MiB', Buffer.from([0x10, 0xff, 0xff, 0xff, 0x7f, 0x00])),
  ];
}

/** Topics a device may not publish to (CONTRACT §3: only its own telemetry). */
export const FORBIDDEN_PUBLISH = [
  'wl/v1/d-0001/telemetry',
  'wl/v1/d-0003/telemetry',
  'wl/v1/d-0002/errors',
  'wl/v1/d-0002/status',
  'wl/v1/d-0001/status',
  'wl/v1/alerts/xiji',
  'wl/v1/alerts/longde',
  'wl/v1/d-0002/telemetry/extra',
  'wl/v1/d-0002',
  'wl/v2/d-0002/telemetry',
  '$SYS/broker/uptime',
  'd-0002/telemetry',
];

/** Subscriptions a device may not hold (CONTRACT §3: only its own wl/v1/{id}/#). */
export const FORBIDDEN_SUBSCRIBE = [
  '#',
  '+',
  'wl/#',
  'wl/v1/#',
  'wl/v1/+/telemetry',
  'wl/v1/+/errors',
  'wl/v1/+/#',
  'wl/v1/d-0001/#',
  'wl/v1/d-0001/errors',
  'wl/v1/d-0001/telemetry',
  'wl/v1/alerts/+',
  'wl/v1/alerts/xiji',
  '$SYS/#',
  '+/+/+/+',
  'wl/v1/d-0003/#',
  'wl/v1/+/status',
  'wl/v1/d-0001/status',
  'wl/v1/d-0003/errors',
];

export interface PayloadCase {
  name: string;
  payload: string;
  error: RegExp;
  path?: string;
}

/** Payloads on d-0002's own telemetry topic (metrics pressure, chlorine), each one error on its errors topic. */
export function badPayloads(now: number): PayloadCase[] {
  const r = (extra: Record<string, unknown>) =>
    JSON.stringify({ ts: now, values: { pressure: 0.3 }, ...extra });
  const v = (values: unknown) => JSON.stringify({ ts: now, values });
  const deep = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
  const notJson = /not JSON/;
  const shape = /Reading object|must be|unexpected field|required|expected/i;
  return [
    { name: 'an open brace', payload: '{', error: notJson },
    { name: 'a cut-off object', payload: '{"ts": 1,', error: notJson },
    { name: 'single quotes', payload: "{'ts': 1}", error: notJson },
    { name: 'a trailing comma', payload: `{"ts": ${now}, "values": {"pressure": 0.3},}`, error: notJson },
    { name: 'NaN', payload: 'NaN', error: notJson },
    { name: 'undefined', payload: 'undefined', error: notJson },
    { name: 'binary', payload: '\u0000\u00ff\u0001\u0002', error: notJson },
    { name: 'an empty payload', payload: '', error: notJson },
    { name: 'only spaces', payload: '   ', error: notJson },
    { name: 'an unclosed array', payload: '[1, 2', error: notJson },
    { name: 'a number', payload: '42', error: shape },
    { name: 'null', payload: 'null', error: shape },
    { name: 'true', payload: 'true', error: shape },
    { name: 'a string', payload: '"pressure"', error: shape },
    { name: 'an empty object', payload: '{}', error: shape },
    { name: 'no values', payload: JSON.stringify({ ts: now }), error: shape, path: 'values' },
    { name: 'no ts', payload: JSON.stringify({ values: { pressure: 0.3 } }), error: /ts/, path: 'ts' },
    { name: 'values an array', payload: v([0.3]), error: shape, path: 'values' },
    {
      name: 'a value as text',
      payload: v({ pressure: '0.3' }),
      error: /finite number/,
      path: 'values.pressure',
    },
    { name: 'a null value', payload: v({ pressure: null }), error: /finite number/, path: 'values.pressure' },
    {
      name: 'an infinite value',
      payload: `{"ts": ${now}, "values": {"pressure": 1e999}}`,
      error: /finite|outside/,
      path: 'values.pressure',
    },
    {
      name: 'an object value',
      payload: v({ pressure: { v: 1 } }),
      error: /finite number/,
      path: 'values.pressure',
    },
    {
      name: 'an extra field',
      payload: r({ device: 'd-0001' }),
      error: /unexpected field "device"/,
      path: 'device',
    },
    {
      name: 'a __proto__ field',
      payload: `{"__proto__": {"admin": true}, "ts": ${now}, "values": {"pressure": 0.3}}`,
      error: /unexpected field/,
    },
    { name: 'a negative seq', payload: r({ seq: -1 }), error: /seq/, path: 'seq' },
    { name: 'a fractional seq', payload: r({ seq: 1.5 }), error: /seq/, path: 'seq' },
    {
      name: 'ts as words',
      payload: JSON.stringify({ ts: 'yesterday', values: { pressure: 0.3 } }),
      error: /ts/,
      path: 'ts',
    },
    {
      name: 'ts negative',
      payload: JSON.stringify({ ts: -1, values: { pressure: 0.3 } }),
      error: /ts/,
      path: 'ts',
    },
    {
      name: 'ts fractional',
      payload: JSON.stringify({ ts: now + 0.5, values: { pressure: 0.3 } }),
      error: /ts/,
      path: 'ts',
    },
    {
      name: 'ts without offset',
      payload: JSON.stringify({ ts: '2026-11-27 08:00:00', values: { pressure: 0.3 } }),
      error: /ts/,
      path: 'ts',
    },
    {
      name: 'ts an hour ahead',
      payload: JSON.stringify({ ts: now + 3_600_000, values: { pressure: 0.3 } }),
      error: /future/,
      path: 'ts',
    },
    {
      name: 'ts 31 days old',
      payload: JSON.stringify({ ts: now - 31 * 86_400_000, values: { pressure: 0.3 } }),
      error: /30 days old/,
      path: 'ts',
    },
    {
      name: 'an unknown metric',
      payload: v({ pressure: 0.3, colour: 5 }),
      error: /unknown metric "colour"/,
      path: 'values.colour',
    },
    {
      name: 'a metric not declared for the device',
      payload: v({ ph: 7 }),
      error: /not declared/,
      path: 'values.ph',
    },
    {
      name: 'another undeclared metric',
      payload: v({ turbidity: 0.2 }),
      error: /not declared/,
      path: 'values.turbidity',
    },
    {
      name: 'pressure below physics',
      payload: v({ pressure: -0.2 }),
      error: /outside the physically possible/,
      path: 'values.pressure',
    },
    {
      name: 'pressure above physics',
      payload: v({ pressure: 10.5 }),
      error: /outside the physically possible/,
      path: 'values.pressure',
    },
    {
      name: 'chlorine below physics',
      payload: v({ chlorine: -0.1 }),
      error: /outside the physically possible/,
      path: 'values.chlorine',
    },
    {
      name: 'chlorine above physics',
      payload: v({ chlorine: 20.5 }),
      error: /outside the physically possible/,
      path: 'values.chlorine',
    },
    {
      name: 'a huge value',
      payload: v({ chlorine: 1e308 }),
      error: /outside the physically possible/,
      path: 'values.chlorine',
    },
    {
      name: 'a batch of 1001',
      payload: JSON.stringify(
        Array.from({ length: 1001 }, (_, i) => ({ ts: now - i, values: { pressure: 0.3 } })),
      ),
      error: /1001 Readings; the limit is 1000/,
    },
    { name: 'a 70 KiB message', payload: r({ pad: 'x'.repeat(70_000) }), error: /the limit is 65536/ },
    { name: '200 KiB of spaces', payload: ' '.repeat(200_000), error: /the limit is 65536/ },
    { name: 'deep nesting', payload: deep(30_000), error: shape },
    {
      name: 'a deeply nested value',
      payload: `{"ts": ${now}, "values": {"pressure": ${deep(20_000)}}}`,
      error: /finite number/,
    },
  ];
}
