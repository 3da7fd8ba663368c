/** An operator in Chromium: a live alert appears without reload, is acknowledged with a note, and only their county shows. */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { apiKey, smallRegistry } from '../helpers/small-registry.js';
import { waitFor } from '../helpers/wait-for.js';
import { chromiumAvailable, DESKTOP, launchChromium, PHONE, screenshot, signIn } from './browser.js';
import { connectDevice, history, type TestDevice } from './device.js';

interface AlertJson {
  id: string;
  ruleId: string;
  countyId: string;
  acknowledged: boolean;
  acknowledgedBy?: string;
  note?: string;
  events: { type: string }[];
}

const UI_TIMEOUT = 15_000;

describe.runIf(chromiumAvailable())('the operator pages in Chromium', () => {
  let p: TestPlatform;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const devices: TestDevice[] = [];
  const api = async <T>(path: string, key = apiKey('demo-admin')): Promise<T> => {
    const res = await fetch(`${p.httpUrl}${path}`, { headers: { authorization: `Bearer ${key}` } });
    if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
    return (await res.json()) as T;
  };

  beforeAll(async () => {
    p = await startTestPlatform(smallRegistry(), { sim: false });
    const now = Date.now();
    const plant = await connectDevice(p.mqttUrl, 'd-0001');
    const pipe = await connectDevice(p.mqttUrl, 'd-0002');
    devices.push(plant, pipe);
    // Six hours of normal readings, so the charts have a history before the alert.
    await plant.publish(
      history(
        {
          chlorine: (i) => 0.6 + 0.15 * Math.sin(i / 9),
          turbidity: (i) => 0.3 + 0.1 * Math.cos(i / 7),
          ph: (i) => 7.2 + 0.2 * Math.sin(i / 11),
          flow: (i) => 420 + 60 * Math.sin(i / 12),
        },
        now - 60_000,
        72,
        5 * 60_000,
      ),
    );
    await pipe.publish(
      history(
        { pressure: (i) => 0.32 + 0.03 * Math.sin(i / 8), chlorine: (i) => 0.35 + 0.05 * Math.cos(i / 6) },
        now - 30_000,
        72,
        5 * 60_000,
      ),
    );
    browser = await launchChromium();
    context = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN' });
    page = await context.newPage();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    for (const d of devices) await d.end().catch(() => {});
    await p?.stop();
  });

  it('shows a new critical alert live, without a reload, after a device publishes a breach', async () => {
    await signIn(page, p.httpUrl, apiKey('ops-xiji'), /\/alerts$/);
    await expect
      .poll(() => page.locator('#stream-status').getAttribute('data-state'), { timeout: UI_TIMEOUT })
      .toBe('live');
    await page
      .locator('#alert-count')
      .filter({ hasText: /共 \d+ 条/ })
      .waitFor({ timeout: UI_TIMEOUT });
    const navigations: string[] = [];
    page.on('framenavigated', (f) => navigations.push(f.url()));

    // GB 5749-2022 表2: free chlorine at the plant outlet at least 0.3 mg/L; two readings below raise the alert.
    const t = Date.now();
    await devices[0]!.publish([
      { ts: t - 1000, values: { chlorine: 0.01 } },
      { ts: t, values: { chlorine: 0.01 } },
    ]);
    const item = page.locator('li.alert[data-rule="chlorine-plant"]');
    await item.waitFor({ timeout: UI_TIMEOUT });
    expect(navigations).toEqual([]);
    await expect.poll(() => item.getAttribute('class')).toMatch(/sev-critical/);
    await expect
      .poll(() => item.locator('.desc').textContent())
      .toMatch(/余氯 0\.01 mg\/L，低于下限 0\.3 mg\/L/);
    // The cue: a banner that is announced (role=alert), naming the alert.
    await page.locator('#cue').waitFor({ state: 'visible' });
    expect(await page.locator('#cue-text').textContent()).toContain('出厂水余氯异常');
    const id = await item.getAttribute('data-alert-id');
    expect(await page.locator('body').getAttribute('data-last-cue')).toBe(id);
    await expect.poll(() => page.title()).toMatch(/^\(1\) /);
  });

  it('acknowledges the alert with a note and shows it marked, as the API records it', async () => {
    const item = page.locator('li.alert[data-rule="chlorine-plant"]');
    const id = (await item.getAttribute('data-alert-id'))!;
    await item.getByRole('button', { name: '确认' }).click();
    const dialog = page.getByRole('dialog', { name: '确认告警' });
    await dialog.waitFor();
    await dialog.getByLabel('备注（可选）').fill('已派人检查加氯设备');
    await dialog.getByRole('button', { name: '确认告警' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await item.locator('.state-acked').waitFor({ timeout: UI_TIMEOUT });
    expect(await item.locator('.note').textContent()).toContain('已派人检查加氯设备');
    expect(await item.getByRole('button', { name: '确认' }).count()).toBe(0);

    const stored = await api<AlertJson>(`/api/v1/alerts/${encodeURIComponent(id)}`);
    expect(stored).toMatchObject({
      acknowledged: true,
      acknowledgedBy: 'ops-xiji',
      note: '已派人检查加氯设备',
    });

    // Its detail: history with both events, and a chart of chlorine around the alert.
    await item.getByRole('button', { name: '详情' }).click();
    const detail = page.locator('#alert-detail');
    await detail.locator('table.history tbody tr').nth(1).waitFor({ timeout: UI_TIMEOUT });
    const events = await detail.locator('table.history tbody tr td:nth-child(2)').allTextContents();
    expect(events).toEqual(['发生', '确认']);
    await detail.locator('.chart-area canvas').waitFor({ timeout: UI_TIMEOUT });
    // Acknowledged: the banner of that alert has gone by itself.
    await page.locator('#cue').waitFor({ state: 'hidden', timeout: UI_TIMEOUT });
  });

  it('resumes the stream after the connection drops, and shows what was raised meanwhile', async () => {
    const streamRequests: (string | undefined)[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/api/v1/alerts/stream')) streamRequests.push(r.headers()['last-event-id']);
    });
    await context.setOffline(true);
    onTestFinished(() => context.setOffline(false));
    await expect
      .poll(() => page.locator('#stream-status').getAttribute('data-state'), { timeout: UI_TIMEOUT })
      .not.toBe('live');
    // GB 5749-2022 Table 1: pH 6.5–8.5; raised while the board is offline.
    const t = Date.now();
    await devices[0]!.publish([
      { ts: t - 1000, values: { ph: 9.2 } },
      { ts: t, values: { ph: 9.2 } },
    ]);
    await waitFor(async () => {
      const r = await api<{ items: AlertJson[] }>('/api/v1/alerts?active=true');
      return r.items.some((a) => a.ruleId === 'ph-range');
    }, 'the pH alert in the API');
    expect(await page.locator('li.alert[data-rule="ph-range"]').count()).toBe(0);
    await context.setOffline(false);
    await page.locator('li.alert[data-rule="ph-range"]').waitFor({ timeout: UI_TIMEOUT });
    await expect
      .poll(() => page.locator('#stream-status').getAttribute('data-state'), { timeout: UI_TIMEOUT })
      .toBe('live');
    // The reconnection asked to resume after the last event it had (the acknowledgement before).
    expect(streamRequests.at(-1)).toMatch(/\S/);
  });

  it("never shows another county's alerts or devices to a scoped operator", async () => {
    const longde = await connectDevice(p.mqttUrl, 'd-0003');
    devices.push(longde);
    const t = Date.now();
    await longde.publish([
      { ts: t - 1000, values: { chlorine: 0.01 } },
      { ts: t, values: { chlorine: 0.01 } },
    ]);
    const all = await waitFor(async () => {
      const r = await api<{ items: AlertJson[] }>('/api/v1/alerts?active=true');
      return r.items.some((a) => a.countyId === 'longde') && r.items;
    }, 'the longde alert in the API');
    expect(all.some((a) => a.countyId === 'longde')).toBe(true);
    // A later xiji alert on the same stream: once it shows, the longde event has been through too.
    await devices[0]!.publish([
      { ts: t + 1000, values: { turbidity: 5 } },
      { ts: t + 2000, values: { turbidity: 5 } },
    ]);
    await page.locator('li.alert[data-rule="turbidity-max"]').waitFor({ timeout: UI_TIMEOUT });
    expect(await page.locator('li.alert[data-county="longde"]').count()).toBe(0);
    expect(await page.locator('li.alert[data-county="xiji"]').count()).toBeGreaterThanOrEqual(2);
    // A reload (list from the API, not the stream) shows the same.
    await page.reload();
    await page.locator('li.alert[data-rule="turbidity-max"]').waitFor({ timeout: UI_TIMEOUT });
    expect(await page.locator('li.alert[data-county="longde"]').count()).toBe(0);

    // The board as the README shows it: two critical alerts, one acknowledged, its detail open.
    const chlorine = page.locator('li.alert[data-rule="chlorine-plant"]');
    await chlorine.getByRole('button', { name: '详情' }).click();
    await page.locator('#alert-detail table.history tbody tr').nth(1).waitFor({ timeout: UI_TIMEOUT });
    await page.locator('#alert-detail .chart-area canvas').waitFor({ timeout: UI_TIMEOUT });
    await screenshot(page, 'alerts', DESKTOP);
    await screenshot(page, 'alerts', PHONE);
    await page.setViewportSize(DESKTOP);

    await page.goto(`${p.httpUrl}/devices`);
    await page.locator('li.device[data-device-id="d-0001"]').waitFor({ timeout: UI_TIMEOUT });
    const ids = await page
      .locator('li.device')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-device-id')));
    expect(ids.sort()).toEqual(['d-0001', 'd-0002']);
    const counties = await page.locator('#device-county option').allTextContents();
    expect(counties).toEqual(['Xiji']);
  });

  it('shows devices online with their last values and units, and charts a metric', async () => {
    const d1 = page.locator('li.device[data-device-id="d-0001"]');
    await expect.poll(() => d1.locator('.status').textContent(), { timeout: UI_TIMEOUT }).toContain('在线');
    expect(await d1.locator('[data-metric="chlorine"] dd.value').textContent()).toBe('0.01 mg/L');
    expect(await d1.locator('[data-metric="turbidity"] dd.value').textContent()).toBe('5 NTU');
    await d1.getByRole('button', { name: '查看曲线' }).click();
    const panel = page.locator('#device-chart');
    await panel.locator('canvas').waitFor({ timeout: UI_TIMEOUT });
    expect(await panel.locator('#device-chart-title').textContent()).toContain('d-0001');
    await page.locator('#chart-metric').selectOption('flow');
    await expect.poll(() => panel.locator('#device-chart-title').textContent()).toContain('流量');
    await panel.locator('canvas').waitFor({ timeout: UI_TIMEOUT });
    await screenshot(page, 'devices', DESKTOP);
    await screenshot(page, 'devices', PHONE);
  });
});
