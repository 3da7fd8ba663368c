/** The devices page shows alarms: a device and its value in alarm colour and words, limits on its chart, a window with data. */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { apiKey, smallRegistry } from '../helpers/small-registry.js';
import { chromiumAvailable, DESKTOP, launchChromium, PHONE, screenshot, signIn } from './browser.js';
import { connectDevice, history, type TestDevice } from './device.js';

const UI_TIMEOUT = 15_000;
const H = 3_600_000;

describe.runIf(chromiumAvailable())('alarms on the devices page', () => {
  let p: TestPlatform;
  let browser: Browser;
  let page: Page;
  const devices: TestDevice[] = [];

  beforeAll(async () => {
    p = await startTestPlatform(smallRegistry(), { sim: false });
    const now = Date.now();
    const plant = await connectDevice(p.mqttUrl, 'd-0001');
    const pipe = await connectDevice(p.mqttUrl, 'd-0002');
    devices.push(plant, pipe);
    // The plant reported normally until 30 hours ago: its chart must not open on an empty 24 h.
    await plant.publish(
      history(
        { chlorine: (i) => 0.6 + 0.1 * Math.sin(i / 4), turbidity: (i) => 0.3 + 0.05 * Math.cos(i / 3) },
        now - 30 * H,
        24,
        10 * 60_000,
      ),
    );
    // The pipe node: normal pressure, then low pressure (two readings raise).
    await pipe.publish([
      ...history(
        { pressure: (i) => 0.3 + 0.02 * Math.sin(i), chlorine: (i) => 0.3 + 0.02 * Math.cos(i) },
        now - 120_000,
        12,
        60_000,
      ),
      { ts: now - 60_000, values: { pressure: 0.057, chlorine: 0.3 } },
      { ts: now - 1_000, values: { pressure: 0.057, chlorine: 0.3 } },
    ]);
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN' })).newPage();
    await signIn(page, p.httpUrl, apiKey('ops-xiji'), /\/alerts$/);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    for (const d of devices) await d.end().catch(() => {});
    await p?.stop();
  });

  it('marks a device with active alerts and its value in alarm, in colour and in words', async () => {
    const admin = { authorization: `Bearer ${apiKey('demo-admin')}` };
    await expect
      .poll(
        async () => {
          const r = await fetch(`${p.httpUrl}/api/v1/alerts?active=true&device=d-0002`, { headers: admin });
          return ((await r.json()) as { items: unknown[] }).items.length;
        },
        { timeout: UI_TIMEOUT },
      )
      .toBeGreaterThanOrEqual(1);
    await page.goto(`${p.httpUrl}/devices?county=xiji`);
    const card = page.locator('li.device[data-device-id="d-0002"]');
    await card.waitFor({ timeout: UI_TIMEOUT });
    await expect
      .poll(() => card.getAttribute('data-alarm'), { timeout: UI_TIMEOUT })
      .toMatch(/critical|warning/);
    expect(await card.locator('.device-alarm').textContent()).toMatch(/⚠ \d+ 条告警: .*水压过低/);
    const pressure = card.locator('[data-metric="pressure"]');
    expect(await pressure.getAttribute('class')).toMatch(/value-alarm sev-text-(critical|warning)/);
    expect(await pressure.locator('.alarm-text').textContent()).toMatch(/^⚠ .*低于下限 0\.1 MPa/);
    // Colour, not only words: the value is drawn in the alarm colour, unlike a healthy one.
    const colour = await pressure
      .locator('dd')
      .first()
      .evaluate((e) => getComputedStyle(e).color);
    const healthy = await card
      .locator('[data-metric="chlorine"] dd.value')
      .first()
      .evaluate((e) => getComputedStyle(e).color);
    expect(colour).not.toBe(healthy);
    // A device without alerts has no alarm mark.
    expect(await page.locator('li.device[data-device-id="d-0001"]').getAttribute('data-alarm')).toBeNull();
    await screenshot(page, 'devices-alarm', PHONE);
    await page.setViewportSize(DESKTOP);
  });

  it('draws the limits on the chart of a value in alarm', async () => {
    const card = page.locator('li.device[data-device-id="d-0002"]');
    await card.getByRole('button', { name: '查看曲线' }).click();
    await page.locator('#chart-metric').selectOption('pressure');
    await page.locator('#chart-area canvas').waitFor({ timeout: UI_TIMEOUT });
    const limits = (await page.locator('#chart-area').getAttribute('data-limits'))!.split(',').map(Number);
    const alert = (await (
      await fetch(`${p.httpUrl}/api/v1/alerts?active=true&device=d-0002`, {
        headers: { authorization: `Bearer ${apiKey('demo-admin')}` },
      })
    ).json()) as { items: { ruleId: string; limit: number }[] };
    const low = alert.items.find((a) => a.ruleId === 'pressure-low')!;
    expect(limits).toContain(low.limit);
    // The legend names the limit series too.
    expect(await page.locator('#chart-area .u-legend').textContent()).toMatch(/限值|limit/i);
    await page.locator('#chart-close').click();
  });

  it('opens the chart of a device silent for a day on a window that reaches its data', async () => {
    const card = page.locator('li.device[data-device-id="d-0001"]');
    await card.getByRole('button', { name: '查看曲线' }).click();
    await expect.poll(() => page.locator('#chart-window').inputValue(), { timeout: UI_TIMEOUT }).toBe('7d');
    await page.locator('#chart-area canvas').waitFor({ timeout: UI_TIMEOUT });
    expect(await page.locator('#chart-area').textContent()).not.toContain('暂无数据');
  });
});
