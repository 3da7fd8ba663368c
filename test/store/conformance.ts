/**
 * The one conformance suite of the TelemetryStore port, run against every adapter (as MQTT.js re-runs
 * one `abstractClientTests` for each transport): the same writes must give the same answers.
 */
import { afterEach, beforeEach, describe } from 'vitest';
import type { TelemetryStore } from '../../store/telemetry-store.js';
import { alertTests } from './conformance-alerts.js';
import { historyTests } from './conformance-history.js';
import { incidentTests } from './conformance-incidents.js';
import { readingTests } from './conformance-readings.js';
import { sampleTests } from './conformance-samples.js';

/** `makeStore` gives a fresh, empty store for each test; the suite closes it. */
export function storeConformance(name: string, makeStore: () => Promise<TelemetryStore>): void {
  describe(`${name} conformance`, () => {
    let current: TelemetryStore | null = null;
    const store = (): TelemetryStore => {
      if (!current) throw new Error('no store: beforeEach did not run');
      return current;
    };
    beforeEach(async () => {
      current = await makeStore();
    });
    afterEach(async () => {
      await current?.close();
      current = null;
    });
    describe('readings', () => readingTests(store));
    describe('alerts', () => alertTests(store));
    describe('lab samples', () => sampleTests(store));
    describe('coverage history', () => historyTests(store));
    describe('incidents', () => incidentTests(store));
  });
}
