/** Vitest configuration: every test under test/, with real servers started once by the global setup. */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // Integration suites start real servers (influxd, brokers); the defaults are too tight under CI load.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Child processes, not worker threads: native addons (better-sqlite3) and servers are safer per process.
    pool: 'forks',
  },
});
