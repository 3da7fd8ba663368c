/** The broker's structured logs say who and why, and never carry a token, key or password. */
import { Writable } from 'node:stream';
import mqtt from 'mqtt';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { topics } from '../../core/topics.js';
import { SERVICE_PASSWORDS, startTestBroker } from '../helpers/broker.js';
import { apiKey, token } from '../helpers/small-registry.js';
import { rawConnect } from './raw-client.js';

describe('broker logs', () => {
  it('log refusals at debug level with reasons, without any secret', async () => {
    let text = '';
    const sink = new Writable({
      write(chunk, _enc, done) {
        text += String(chunk);
        done();
      },
    });
    const b = await startTestBroker(undefined, { log: pino({ level: 'debug' }, sink) });
    try {
      const dev = await mqtt.connectAsync(b.url, {
        clientId: 'd-0001',
        username: 'd-0001',
        password: token('d-0001'),
        reconnectPeriod: 0,
      });
      await dev.publishAsync(topics.telemetry('d-0001'), '{}', { qos: 1 });
      await dev.endAsync();
      const watcher = await mqtt.connectAsync(b.url, {
        clientId: 'key:planner',
        username: 'key:planner',
        password: apiKey('planner'),
        reconnectPeriod: 0,
      });
      // Refused (SUBACK 0x80, which mqtt.js reports as an error) and logged.
      await expect(watcher.subscribeAsync('wl/v1/+/telemetry', { qos: 1 })).rejects.toThrow();
      await watcher.endAsync();
      const wrong = await rawConnect(b.url, {
        clientId: 'd-0002',
        username: 'd-0002',
        password: token('d-0001'),
      });
      expect(wrong.code).toBe(4);
      wrong.socket.destroy();
    } finally {
      await b.stop();
    }
    expect(text).toContain('"reason":"bad_credentials"');
    expect(text).toContain('refused subscription');
    for (const secret of [
      token('d-0001'),
      apiKey('planner'),
      SERVICE_PASSWORDS.ingest,
      SERVICE_PASSWORDS.api,
    ]) {
      expect(text).not.toContain(secret);
    }
  });
});
