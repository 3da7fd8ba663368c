/** The board in Chromium: one row per incident, a big one folded and unfolded by the operator, new alerts joining live. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/create-app.js';
import { type HttpListening, listenHttp } from '../../api/serve.js';
import type { Alert } from '../../core/alert.js';
import { createSqliteStore } from '../../store/sqlite-store.js';
import type { TelemetryStore } from '../../store/telemetry-store.js';
import { buildRegistry, makeAlert, raised } from '../api/fixture.js';
import { apiKey, smallRegistry } from '../helpers/small-registry.js';
import { chromiumAvailable, DESKTOP, launchChromium, screenshot, signIn } from './browser.js';

const UI_TIMEOUT = 15_000;

describe.runIf(chromiumAvailable())('incidents on the alert board in Chromium', () => {
  let dir: string;
  let store: TelemetryStore;
  let http: HttpListening;
  let browser: Browser;
  let page: Page;
  const now = Date.now();
  const iso = (ms: number) => new Date(ms).toISOString();
  const stale = (i: number, incidentId: string): Alert =>
    makeAlert({
      id: `stale.d-000${(i % 2) + 1}.${i}`,
      deviceId: i % 2 ? 'd-0002' : 'd-0001',
      ruleId: 'stale',
      kind: 'stale',
      metric: undefined,
      value: undefined,
      limit: undefined,
      severity: 'warning',
      raisedAt: iso(now - 10 * 60_000 + i * 1000),
      message: `no reading for 200 s (${i})`,
      incidentId,
    });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'wl-board-'));
    store = createSqliteStore({ path: join(dir, 'waterline.db') });
    const registry = buildRegistry(smallRegistry());
    const burst = [
      makeAlert({
        id: 'drop',
        deviceId: 'd-0002',
        ruleId: 'pressure-drop',
        kind: 'rate',
        metric: 'pressure',
        value: 0.1,
        limit: 0.2,
        raisedAt: iso(now - 5 * 60_000),
        message: 'pressure drop',
        incidentId: 'i.drop',
      }),
      makeAlert({
        id: 'low',
        deviceId: 'd-0001',
        ruleId: 'plant-outage',
        kind: 'operational',
        metric: 'flow',
        value: 3,
        limit: 120,
        raisedAt: iso(now - 4 * 60_000),
        message: 'outlet flow low',
        incidentId: 'i.drop',
      }),
    ];
    const comm = Array.from({ length: 6 }, (_, i) => stale(i, 'c.xiji.1'));
    const single = makeAlert({
      id: 'turb',
      deviceId: 'd-0003',
      raisedAt: iso(now - 60_000),
      incidentId: 'i.turb',
    });
    await store.appendAlertEvents([...burst, ...comm, single].map(raised));
    const app = createApp({
      registry: () => registry,
      store,
      online: () => true,
      log: pino({ level: 'silent' }),
      options: { streamPollMs: 100 },
    });
    http = await listenHttp(app, 0, '127.0.0.1');
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: DESKTOP, locale: 'en-US' })).newPage();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await http?.close();
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows one row per incident: a small one open with its alerts, hundreds of silent devices folded into one', async () => {
    const base = `http://127.0.0.1:${http.port}`;
    await page.goto(`${base}/?lang=en`);
    await signIn(page, base, apiKey('demo-admin'), /\/alerts/);
    const rows = page.locator('#alert-list > li');
    await expect.poll(() => rows.count(), { timeout: UI_TIMEOUT }).toBe(3);
    const comm = page.locator('li.incident[data-incident-id="c.xiji.1"]');
    expect(await comm.getAttribute('data-alerts')).toBe('6');
    expect(await comm.locator('.incident-title').textContent()).toMatch(/6 devices silent together/);
    expect(await comm.locator('li.alert').count()).toBe(0);
    expect(await comm.locator('.incident-toggle').getAttribute('aria-expanded')).toBe('false');
    // An outage at the works and its pressure drop below: two alerts inside, rooted upstream (from the API).
    const burst = page.locator('li.incident[data-incident-id="i.drop"]');
    expect(await burst.locator('li.alert').count()).toBe(2);
    await expect
      .poll(() => burst.locator('.incident-title').textContent(), { timeout: UI_TIMEOUT })
      .toMatch(/2 alerts from one cause, starting at .*plant/i);
    // A single alert stays a plain row.
    expect(await page.locator('#alert-list > li.alert[data-alert-id="turb"]').count()).toBe(1);
    await screenshot(page, 'incident-board', DESKTOP);
  });

  it('unfolds and folds an incident on request', async () => {
    const comm = page.locator('li.incident[data-incident-id="c.xiji.1"]');
    await comm.locator('.incident-toggle').click();
    await expect.poll(() => comm.locator('li.alert').count(), { timeout: UI_TIMEOUT }).toBe(6);
    expect(await comm.locator('.incident-toggle').getAttribute('aria-expanded')).toBe('true');
    await comm.locator('.incident-toggle').click();
    await expect.poll(() => comm.locator('li.alert').count(), { timeout: UI_TIMEOUT }).toBe(0);
  });

  it('adds a live alert to its incident row rather than a row of its own', async () => {
    await store.appendAlertEvents([raised(stale(7, 'c.xiji.1'))]);
    const comm = page.locator('li.incident[data-incident-id="c.xiji.1"]');
    await expect.poll(() => comm.getAttribute('data-alerts'), { timeout: UI_TIMEOUT }).toBe('7');
    expect(await page.locator('#alert-list > li').count()).toBe(3);
  });

  it('names incidents in Chinese on the Chinese page', async () => {
    await page.locator('a.lang').click();
    await page.waitForURL(/lang=zh-CN/);
    const comm = page.locator('li.incident[data-incident-id="c.xiji.1"]');
    await expect
      .poll(() => comm.locator('.incident-title').textContent(), { timeout: UI_TIMEOUT })
      .toMatch(/7 台设备同时失联/);
    expect(await comm.locator('.incident-toggle').textContent()).toBe('展开 7 条告警');
  });
});
