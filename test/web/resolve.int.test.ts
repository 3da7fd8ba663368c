/** An operator in Chromium resolves an alert by hand: a required note, the board and the history show it. */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { apiKey, smallRegistry } from '../helpers/small-registry.js';
import { chromiumAvailable, DESKTOP, launchChromium, signIn } from './browser.js';
import { connectDevice, type TestDevice } from './device.js';

interface AlertJson {
  id: string;
  active: boolean;
  clearedAt?: string;
  resolvedBy?: string;
  resolutionNote?: string;
  events: { type: string }[];
}

const UI_TIMEOUT = 15_000;

describe.runIf(chromiumAvailable())('resolving an alert in Chromium', () => {
  let p: TestPlatform;
  let browser: Browser;
  let device: TestDevice;
  const api = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${p.httpUrl}${path}`, {
      headers: { authorization: `Bearer ${apiKey('demo-admin')}` },
    });
    if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
    return (await res.json()) as T;
  };

  beforeAll(async () => {
    p = await startTestPlatform(smallRegistry(), { sim: false });
    device = await connectDevice(p.mqttUrl, 'd-0001');
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await device?.end().catch(() => {});
    await p?.stop();
  });

  /** Two readings beyond a GB 5749-2022 Table 1 limit (turbidity ≤ 1 NTU, pH 6.5–8.5) raise an alert. */
  async function raise(page: Page, metric: 'turbidity' | 'ph', value: number, rule: string): Promise<string> {
    const t = Date.now();
    await device.publish([
      { ts: t - 1000, values: { [metric]: value } },
      { ts: t, values: { [metric]: value } },
    ]);
    const item = page.locator(`li.alert[data-rule="${rule}"]`);
    await item.waitFor({ timeout: UI_TIMEOUT });
    return (await item.getAttribute('data-alert-id'))!;
  }

  it('resolves with a required note; the alert leaves the active board and its history says who and why', {
    timeout: 60_000,
  }, async () => {
    const context = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN' });
    const page = await context.newPage();
    await signIn(page, p.httpUrl, apiKey('ops-xiji'), /\/alerts$/);
    await expect
      .poll(() => page.locator('#stream-status').getAttribute('data-state'), { timeout: UI_TIMEOUT })
      .toBe('live');
    const id = await raise(page, 'turbidity', 4, 'turbidity-max');
    const item = page.locator(`li.alert[data-alert-id="${id}"]`);

    await item.getByRole('button', { name: '处置完毕' }).click();
    const dialog = page.getByRole('dialog', { name: '处置完毕，关闭告警' });
    await dialog.waitFor();
    // Without a note the dialog stays open and says what is missing; nothing is sent.
    await dialog.getByRole('button', { name: '关闭告警' }).click();
    await expect.poll(() => dialog.locator('#resolve-error').textContent()).toBe('请填写处置说明。');
    expect((await api<AlertJson>(`/api/v1/alerts/${encodeURIComponent(id)}`)).active).toBe(true);

    await dialog.getByLabel('处置说明（必填）').fill('已冲洗滤池，浊度恢复');
    await dialog.getByRole('button', { name: '关闭告警' }).click();
    await dialog.waitFor({ state: 'hidden' });
    // The board shows active alerts by default: the resolved one leaves it.
    await item.waitFor({ state: 'detached', timeout: UI_TIMEOUT });

    const stored = await api<AlertJson>(`/api/v1/alerts/${encodeURIComponent(id)}`);
    expect(stored).toMatchObject({
      active: false,
      resolvedBy: 'ops-xiji',
      resolutionNote: '已冲洗滤池，浊度恢复',
    });
    expect(stored.events.map((e) => e.type)).toEqual(['raised', 'resolved']);

    // In the last 24 h it is there, marked resolved, with no resolve button; its history names who and why.
    await page.locator('select[name="status"]').selectOption('recent');
    await item.waitFor({ timeout: UI_TIMEOUT });
    await item.locator('.state-resolved').waitFor({ timeout: UI_TIMEOUT });
    expect(await item.getByRole('button', { name: '处置完毕' }).count()).toBe(0);
    await item.getByRole('button', { name: '详情' }).click();
    const rows = page.locator('#alert-detail table.history tbody tr');
    await rows.nth(1).waitFor({ timeout: UI_TIMEOUT });
    expect(await rows.nth(1).locator('td').allTextContents()).toEqual([
      expect.any(String),
      '人工关闭',
      'ops-xiji',
      '已冲洗滤池，浊度恢复',
    ]);
    await context.close();
  });

  it('offers resolve in English, and not to a viewer', { timeout: 60_000 }, async () => {
    const context = await browser.newContext({ viewport: DESKTOP });
    const page = await context.newPage();
    // English is chosen with ?lang=en and remembered in a cookie (web/locale.ts).
    await page.goto(`${p.httpUrl}/?lang=en`);
    await signIn(page, p.httpUrl, apiKey('ops-xiji'), /\/alerts$/);
    await expect
      .poll(() => page.locator('#stream-status').getAttribute('data-state'), { timeout: UI_TIMEOUT })
      .toBe('live');
    const id = await raise(page, 'ph', 9.3, 'ph-range');
    const item = page.locator(`li.alert[data-alert-id="${id}"]`);
    // A viewer sees the same alert, without the button.
    const viewer = await browser.newContext({ viewport: DESKTOP });
    const vpage = await viewer.newPage();
    await vpage.goto(`${p.httpUrl}/?lang=en`);
    await signIn(vpage, p.httpUrl, apiKey('planner'), /\/(alerts|coverage)$/);
    await vpage.goto(`${p.httpUrl}/alerts`);
    const seen = vpage.locator(`li.alert[data-alert-id="${id}"]`);
    await seen.getByRole('button', { name: 'Details' }).waitFor({ timeout: UI_TIMEOUT });
    expect(await seen.getByRole('button', { name: 'Resolve' }).count()).toBe(0);
    await viewer.close();

    await item.getByRole('button', { name: 'Resolve' }).click();
    const dialog = page.getByRole('dialog', { name: 'Resolve alert' });
    await dialog.getByLabel('What was done (required)').fill('sensor cleaned');
    await dialog.getByRole('button', { name: 'Resolve' }).click();
    await item.waitFor({ state: 'detached', timeout: UI_TIMEOUT });
    await context.close();
  });
});
