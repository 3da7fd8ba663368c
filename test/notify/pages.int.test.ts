/** In Chromium: the board shows who was notified, the demo inbox receives the message, the maintenance page works. */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { apiKey, smallRegistry } from '../helpers/small-registry.js';
import { waitFor } from '../helpers/wait-for.js';
import { chromiumAvailable, DESKTOP, launchChromium, signIn } from '../web/browser.js';
import { connectDevice, type TestDevice } from '../web/device.js';

const UI_TIMEOUT = 15_000;

describe.runIf(chromiumAvailable())('notification pages in Chromium', () => {
  let p: TestPlatform;
  let browser: Browser;
  let page: Page;
  let device: TestDevice;
  let alertId = '';
  const api = async <T>(path: string, init: RequestInit = {}, key = apiKey('demo-admin')): Promise<T> => {
    const res = await fetch(`${p.httpUrl}${path}`, { ...init, headers: { authorization: `Bearer ${key}` } });
    if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
    return (await res.json()) as T;
  };

  beforeAll(async () => {
    p = await startTestPlatform(
      {
        ...smallRegistry(),
        notify: {
          channels: [{ id: 'demo-inbox', type: 'webhook', url: '/demo/inbox/hook' }],
          routes: [{ id: 'duty', targets: [{ channel: 'demo-inbox' }], recovery: true }],
          demoInbox: true,
        },
      },
      { sim: false },
    );
    device = await connectDevice(p.mqttUrl, 'd-0001');
    // GB 5749-2022 表2: free chlorine at the plant outlet at least 0.3 mg/L; two readings below raise.
    const t = Date.now();
    await device.publish([
      { ts: t - 1000, values: { chlorine: 0.01 } },
      { ts: t, values: { chlorine: 0.01 } },
    ]);
    const notified = await waitFor(async () => {
      const { items } = await api<{ items: { id: string }[] }>('/api/v1/alerts?active=true');
      const first = items[0];
      if (!first) return undefined;
      const a = await api<{ events: { type: string }[] }>(`/api/v1/alerts/${encodeURIComponent(first.id)}`);
      return a.events.some((e) => e.type === 'notified') ? first.id : undefined;
    }, 'the alert and its notification');
    alertId = notified;
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN' })).newPage();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await device?.end().catch(() => {});
    await p?.stop();
  });

  it('shows in the alert history who was notified, on which channel, and when', async () => {
    await signIn(page, p.httpUrl, apiKey('ops-xiji'), /\/alerts$/);
    const item = page.locator(`li.alert[data-alert-id="${alertId}"]`);
    await item.getByRole('button', { name: '详情' }).click({ timeout: UI_TIMEOUT });
    const rows = page.locator('#alert-detail table.history tbody tr');
    await rows.nth(1).waitFor({ timeout: UI_TIMEOUT });
    const events = await rows.locator('td:nth-child(2)').allTextContents();
    expect(events).toEqual(['发生', '已通知']);
    expect(await rows.nth(1).locator('td:nth-child(3)').textContent()).toBe('demo-inbox → demo-inbox');
    expect(await rows.nth(1).locator('td:nth-child(4)').textContent()).toContain('首次通知 · 县级');
  });

  it('shows the message in the demo inbox, in Chinese, linking to the alert on the board', async () => {
    await page.goto(`${p.httpUrl}/demo/inbox`);
    const item = page.locator('#inbox-list li.card').first();
    await item.waitFor({ timeout: UI_TIMEOUT });
    const text = await item.textContent();
    expect(text).toContain('【严重】Xiji');
    expect(text).toContain('Xiji integrated works');
    expect(text).toContain('游离氯 0.01 mg/L，限值 0.3 mg/L');
    await item.getByRole('link').click();
    await page.waitForURL(/\/alerts#alert=/);
    await page.locator('#alert-detail table.history').waitFor({ timeout: UI_TIMEOUT });
  });

  it('schedules a maintenance window through the page, lists it, and ends it', async () => {
    await page.goto(`${p.httpUrl}/maintenance`);
    await page.getByLabel('编号').fill('xiji-s1-p1');
    await page.getByLabel('原因').fill('更换压力变送器');
    await page.getByRole('button', { name: '创建' }).click();
    await page
      .locator('#maint-status')
      .filter({ hasText: '已创建维护窗口' })
      .waitFor({ timeout: UI_TIMEOUT });
    const row = page.locator('#maint-rows tr', { hasText: 'xiji-s1-p1' });
    await row.waitFor();
    expect(await row.textContent()).toContain('更换压力变送器');
    const { items } = await api<{ items: { target: string; createdBy: string; countyId: string }[] }>(
      '/api/v1/maintenance',
    );
    expect(items).toMatchObject([{ target: 'xiji-s1-p1', createdBy: 'ops-xiji', countyId: 'xiji' }]);
    await row.getByRole('button', { name: /结束并删除/ }).click();
    await page
      .locator('#maint-rows')
      .filter({ hasText: '当前没有维护窗口' })
      .waitFor({ timeout: UI_TIMEOUT });
    expect((await api<{ items: unknown[] }>('/api/v1/maintenance')).items).toEqual([]);
  });
});
