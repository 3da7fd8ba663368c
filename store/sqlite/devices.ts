/** The device dimension table of the embedded store: a small integer key per device, its dimensions and last-seen time. */
import type Database from 'better-sqlite3';
import type { StoredReading } from '../telemetry-store.js';

interface DeviceRow {
  dev: number;
  device_id: string;
  site_id: string;
  site_kind: string;
  scheme_id: string;
  county_id: string;
}

export interface DevicesTable {
  /** The device's key, creating it or updating its dimensions when they changed. Call inside a write transaction. */
  keyFor(r: StoredReading): number;
  /** The key of a device id, or undefined when it never wrote. */
  find(deviceId: string): number | undefined;
  /** Raises the device's last-seen time to `ts` if it is newer. */
  seen(dev: number, ts: number): void;
  /** Every device key, for per-device maintenance. */
  keys(): number[];
  /** Forgets the cache: after a rolled-back transaction it may name keys and times that were never committed. */
  reset(): void;
}

export function createDevicesTable(db: Database.Database): DevicesTable {
  const upsert = db.prepare<[string, string, string, string, string], { dev: number }>(
    `INSERT INTO devices (device_id, site_id, site_kind, scheme_id, county_id, last_ts) VALUES (?, ?, ?, ?, ?, NULL)
     ON CONFLICT (device_id) DO UPDATE SET site_id = excluded.site_id, site_kind = excluded.site_kind,
       scheme_id = excluded.scheme_id, county_id = excluded.county_id
     RETURNING dev`,
  );
  const byId = db.prepare<[string], DeviceRow>(
    'SELECT dev, device_id, site_id, site_kind, scheme_id, county_id FROM devices WHERE device_id = ?',
  );
  const raise = db.prepare<[number, number, number]>(
    'UPDATE devices SET last_ts = ? WHERE dev = ? AND (last_ts IS NULL OR last_ts < ?)',
  );
  const all = db.prepare<[], { dev: number }>('SELECT dev FROM devices ORDER BY dev');
  // A cache of what this process last wrote or read: keys never change once given, and the dimensions
  // and last_ts are only hints that save a statement (the SQL itself stays correct if they are stale).
  const cache = new Map<string, DeviceRow>();
  const lastTs = new Map<number, number>();

  const lookup = (deviceId: string): DeviceRow | undefined => {
    let row = cache.get(deviceId);
    if (!row) {
      row = byId.get(deviceId);
      if (row) cache.set(deviceId, row);
    }
    return row;
  };

  return {
    keyFor(r) {
      const row = lookup(r.deviceId);
      if (
        row &&
        row.site_id === r.siteId &&
        row.site_kind === r.siteKind &&
        row.scheme_id === r.schemeId &&
        row.county_id === r.countyId
      )
        return row.dev;
      const { dev } = upsert.get(r.deviceId, r.siteId, r.siteKind, r.schemeId, r.countyId)!;
      cache.set(r.deviceId, {
        dev,
        device_id: r.deviceId,
        site_id: r.siteId,
        site_kind: r.siteKind,
        scheme_id: r.schemeId,
        county_id: r.countyId,
      });
      return dev;
    },
    find: (deviceId) => lookup(deviceId)?.dev,
    seen(dev, ts) {
      if ((lastTs.get(dev) ?? Number.NEGATIVE_INFINITY) >= ts) return;
      raise.run(ts, dev, ts);
      lastTs.set(dev, ts);
    },
    keys: () => all.all().map((r) => r.dev),
    reset() {
      cache.clear();
      lastTs.clear();
    },
  };
}
