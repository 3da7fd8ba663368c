/** Daily coverage history: snapshots per local day that survive a restart, with registry changes from the day of the reload. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { createCoverageHistory } from '../../api/coverage-history.js';
import { createApp } from '../../api/create-app.js';
import type { Registry } from '../../core/registry.js';
import { qualityLimits } from '../../core/rules/quality.js';
import { enrich } from '../../core/stored-reading.js';
import { createSqliteStore } from '../../store/sqlite-store.js';
import { apiKey } from '../helpers/small-registry.js';
import { coverageRegistry } from './coverage-registry.js';
import { buildRegistry } from './fixture.js';

const dir = mkdtempSync(join(tmpdir(), 'wl-history-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const log = pino({ level: 'silent' });

interface Point {
  day: string;
  final: boolean;
  indicators: Record<string, { numerator: number; denominator: number }>;
}

describe('coverage history', () => {
  it('keeps each day as the registry then stood, across a registry reload and a restart', async () => {
    const path = join(dir, 'store.db');
    const before = buildRegistry(coverageRegistry());
    const afterFile = coverageRegistry();
    // The reload connects village v2 (500 people in c-a) to the Big works with taps.
    afterFile.villages = afterFile.villages.map((v) =>
      v.id === 'v2' ? { ...v, scheme: 's-big', tap: true } : v,
    );
    const after = buildRegistry(afterFile);

    let now = Date.parse('2026-12-01T10:00:00+08:00');
    let registry: Registry = before;
    const store = createSqliteStore({ path, pruneIntervalMs: 0, clock: () => now });
    const d = before.devices.get('dv-1')!;
    await store.writeReadings([
      enrich(
        d,
        { ts: now - 3_600_000, values: { turbidity: 0.3, chlorine: 0.5, ph: 7 } },
        qualityLimits(d, []),
      ),
    ]);
    const history = createCoverageHistory({
      store,
      registry: () => registry,
      clock: () => now,
      log,
      intervalMs: 0,
    });
    await history.tick();
    // Reloaded just after midnight in Beijing: 1 December is finalised as it stood.
    now = Date.parse('2026-12-02T00:03:00+08:00');
    registry = after;
    await history.tick();
    await history.stop();
    await store.close();

    // Restart: a new store on the same file, a new recorder.
    now = Date.parse('2026-12-03T09:00:00+08:00');
    const reopened = createSqliteStore({ path, pruneIntervalMs: 0, clock: () => now });
    const again = createCoverageHistory({
      store: reopened,
      registry: () => registry,
      clock: () => now,
      log,
      intervalMs: 0,
    });
    await again.tick();
    await again.stop();

    const app = createApp({
      registry: () => registry,
      store: reopened,
      online: () => false,
      log,
      clock: () => now,
    });
    const get = async (q: string) => {
      const res = await app.request(`/api/v1/coverage/history${q}`, {
        headers: { authorization: `Bearer ${apiKey('planner')}` },
      });
      expect(res.status, await res.clone().text()).toBe(200);
      return res.json() as Promise<{ timeZone: string; series: { id: string; points: Point[] }[] }>;
    };
    const county = await get('?groupBy=county&from=2026-12-01&to=2026-12-03');
    expect(county.timeZone).toBe('Asia/Shanghai');
    const ca = county.series.find((s) => s.id === 'c-a')!;
    expect(
      ca.points.map((p) => [
        p.day,
        p.final,
        p.indicators.tapWaterRate!.numerator,
        p.indicators.tapWaterRate!.denominator,
      ]),
    ).toEqual([
      ['2026-12-01', true, 1300, 1800],
      ['2026-12-02', true, 1800, 1800],
      ['2026-12-03', false, 1800, 1800],
    ]);
    // 1 December's samples are in its snapshot; none were taken later.
    expect(ca.points.map((p) => p.indicators.qualityCompliance!.denominator)).toEqual([3, 0, 0]);
    expect(county.series.map((s) => s.id)).toEqual(['c-a', 'c-b', 'c-c', 'c-d']);

    const region = await get('?groupBy=region&from=2026-12-02T00:00:00%2B08:00&to=2026-12-02');
    expect(region.series).toHaveLength(1);
    expect(region.series[0]!.points.map((p) => p.day)).toEqual(['2026-12-02']);
    // Default: the 30 days up to today; the first tick also took the day before it (30 November).
    expect((await get('?id=c-b')).series[0]!.points.map((p) => p.day)).toEqual([
      '2026-11-30',
      '2026-12-01',
      '2026-12-02',
      '2026-12-03',
    ]);
    const bad = await app.request('/api/v1/coverage/history?from=yesterday', {
      headers: { authorization: `Bearer ${apiKey('planner')}` },
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { param: string }).param).toBe('from');
    await reopened.close();
  });
});
