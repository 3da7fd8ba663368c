/** Builds the configured TelemetryStore: the embedded SQLite store unless an InfluxDB URL is given. */
import { join } from 'node:path';
import type { Config } from '../core/config.js';
import { createSqliteStore } from '../store/sqlite-store.js';
import { StoreError, type TelemetryStore } from '../store/telemetry-store.js';

export async function createStore(config: Config): Promise<TelemetryStore> {
  if (config.influx)
    throw new StoreError(`InfluxDB at ${config.influx.url}: this build has only the embedded store`);
  return createSqliteStore({ path: join(config.dataDir, 'waterline.db') });
}
