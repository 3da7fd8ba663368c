/** Vitest global setup: runs a throwaway InfluxDB 1.x on free loopback ports when `influxd` is installed. */
import type { TestProject } from 'vitest/node';
import { findOnPath, startInfluxd } from './helpers/influxd.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Base URL of the test InfluxDB (no trailing slash), or null when `influxd` is not installed. */
    influxUrl: string | null;
  }
}

export default async function setup({ provide }: TestProject): Promise<() => Promise<void>> {
  const binary = await findOnPath('influxd');
  if (binary === null) {
    // InfluxDB suites must never be skipped silently in CI: a missing package is a broken run.
    if (process.env.CI === 'true') {
      throw new Error('influxd is required in CI (install it with: apt-get install -y influxdb)');
    }
    console.warn(
      '[global-setup] influxd not on PATH: InfluxDB tests are skipped (apt-get install -y influxdb)',
    );
    provide('influxUrl', null);
    return async () => {};
  }

  const started = Date.now();
  const influxd = await startInfluxd({ binary });
  console.log(
    `[global-setup] influxd ${influxd.version} ready at ${influxd.url} in ${Date.now() - started} ms`,
  );
  provide('influxUrl', influxd.url);
  return influxd.stop;
}
