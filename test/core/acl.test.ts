/** Broker topic rights per identity (CONTRACT §3). */
import { describe, expect, it } from 'vitest';
import { canPublish, canSubscribe, clientIdAllowed, type Identity } from '../../core/acl.js';

const device: Identity = { kind: 'device', deviceId: 'd-0001' };
const ingest: Identity = { kind: 'service', service: 'ingest' };
const api: Identity = { kind: 'service', service: 'api' };
const watcher = (role: 'viewer' | 'operator' | 'admin', counties?: string[]): Identity => ({
  kind: 'watcher',
  key: { id: 'k', role, keySha256: '0'.repeat(64), counties },
});

describe('acl', () => {
  it('lets a device publish only its own telemetry and subscribe only under its own tree', () => {
    expect(canPublish(device, 'wl/v1/d-0001/telemetry')).toBe(true);
    expect(canPublish(device, 'wl/v1/d-0002/telemetry')).toBe(false);
    expect(canPublish(device, 'wl/v1/d-0001/errors')).toBe(false);
    expect(canPublish(device, 'wl/v1/d-0001/status')).toBe(false);
    expect(canPublish(device, 'wl/v1/alerts/xiji')).toBe(false);
    expect(canSubscribe(device, 'wl/v1/d-0001/#')).toBe(true);
    expect(canSubscribe(device, 'wl/v1/d-0001/errors')).toBe(true);
    expect(canSubscribe(device, 'wl/v1/d-00011/#')).toBe(false);
    expect(canSubscribe(device, 'wl/v1/+/telemetry')).toBe(false);
    expect(canSubscribe(device, '#')).toBe(false);
    expect(canSubscribe(device, '$SYS/#')).toBe(false);
  });

  it('gives a device named "alerts" no rights, since its tree would be every county\'s alerts', () => {
    const alerts: Identity = { kind: 'device', deviceId: 'alerts' };
    expect(canSubscribe(alerts, 'wl/v1/alerts/#')).toBe(false);
    expect(canSubscribe(alerts, 'wl/v1/alerts/xiji')).toBe(false);
    expect(canPublish(alerts, 'wl/v1/alerts/telemetry')).toBe(false);
  });

  it('gives the services their own rights', () => {
    expect(canSubscribe(ingest, 'wl/v1/+/telemetry')).toBe(true);
    expect(canPublish(ingest, 'wl/v1/d-0001/errors')).toBe(true);
    expect(canPublish(ingest, 'wl/v1/alerts/xiji')).toBe(true);
    expect(canPublish(ingest, 'wl/v1/d-0001/telemetry')).toBe(false);
    expect(canSubscribe(api, 'wl/v1/+/status')).toBe(true);
    expect(canSubscribe(api, 'wl/v1/+/telemetry')).toBe(false);
  });

  it('lets a watcher key read the alerts of its counties and status, and publish nothing', () => {
    const ops = watcher('operator', ['xiji']);
    expect(canSubscribe(ops, 'wl/v1/alerts/xiji')).toBe(true);
    expect(canSubscribe(ops, 'wl/v1/alerts/longde')).toBe(false);
    expect(canSubscribe(ops, 'wl/v1/alerts/+')).toBe(false);
    expect(canSubscribe(ops, 'wl/v1/+/status')).toBe(true);
    expect(canSubscribe(ops, 'wl/v1/d-0001/status')).toBe(true);
    expect(canSubscribe(ops, 'wl/v1/d-0001/telemetry')).toBe(false);
    expect(canSubscribe(watcher('viewer'), 'wl/v1/alerts/+')).toBe(true);
    expect(canSubscribe(watcher('admin'), 'wl/v1/alerts/longde')).toBe(true);
    expect(canPublish(watcher('admin'), 'wl/v1/alerts/xiji')).toBe(false);
  });

  it('ties client ids to usernames so no client can take over another session', () => {
    expect(clientIdAllowed(device, 'd-0001')).toBe(true);
    expect(clientIdAllowed(device, 'd-0001:spare')).toBe(true);
    expect(clientIdAllowed(device, 'd-0001-x')).toBe(false);
    expect(clientIdAllowed(device, 'svc:ingest')).toBe(false);
    expect(clientIdAllowed(ingest, 'svc:ingest')).toBe(true);
  });
});
