/** Builds the configured TelemetryStore: InfluxDB when a URL is given (reachable, database ready), else the embedded SQLite store. */
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../core/config.js';
import { createInfluxStore } from '../store/influx-store.js';
import { createSqliteStore } from '../store/sqlite-store.js';
import type { TelemetryStore } from '../store/telemetry-store.js';

/** Rejects with a StoreError naming the URL and the cause when InfluxDB is unreachable or refuses. */
export async function createStore(config: Config, log?: Logger): Promise<TelemetryStore> {
  if (config.influx) {
    const { url, token, org, bucket } = config.influx;
    return createInfluxStore({ url, token, org, bucket });
  }
  return createSqliteStore({
    path: join(config.dataDir, 'waterline.db'),
    onCheckpointError: (e) => log?.warn({ err: e.message }, 'WAL checkpoint failed; the next one retries'),
  });
}
