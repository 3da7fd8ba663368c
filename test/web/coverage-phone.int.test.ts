/** A planner on a phone jumps to a county on the coverage page instead of scrolling past 21 others. */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoProcess, startDemo } from '../cli/demo-process.js';
import { chromiumAvailable, launchChromium, PHONE, screenshot, signInPerson } from './browser.js';

const UI_TIMEOUT = 15_000;

describe.runIf(chromiumAvailable())('the coverage page on a 390×844 phone', () => {
  let demo: DemoProcess;
  let browser: Browser;

  beforeAll(async () => {
    [demo, browser] = await Promise.all([startDemo(), launchChromium()]);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await demo?.stop();
  });

  it('jumps to the chosen county, brings its card into view and focuses it', async () => {
    const planner = demo.accounts.find((a) => a.role === 'viewer')!;
    const context = await browser.newContext({
      viewport: PHONE,
      isMobile: true,
      hasTouch: true,
      locale: 'zh-CN',
    });
    const page = await context.newPage();
    await signInPerson(page, demo.httpUrl, planner.user, planner.password, /\/coverage$/);
    await page.locator('tr[data-row="haiyuan"]').waitFor({ timeout: UI_TIMEOUT });
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    expect(height).toBeGreaterThan(PHONE.height * 5);
    const jump = page.getByLabel('跳转到');
    await expect.poll(() => jump.locator('option').count(), { timeout: UI_TIMEOUT }).toBe(23);
    expect(await page.locator('tr[data-row="haiyuan"]').isVisible()).toBe(true);
    const before = (await page.locator('tr[data-row="haiyuan"]').boundingBox())!;
    expect(before.y).toBeGreaterThan(PHONE.height);

    await jump.selectOption('haiyuan');
    await expect
      .poll(async () => (await page.locator('tr[data-row="haiyuan"]').boundingBox())!.y, {
        timeout: UI_TIMEOUT,
      })
      .toBeLessThan(PHONE.height / 2);
    const row = (await page.locator('tr[data-row="haiyuan"]').boundingBox())!;
    expect(row.y).toBeGreaterThanOrEqual(0);
    expect(await page.evaluate(() => document.activeElement?.closest('tr')?.dataset.row)).toBe('haiyuan');
    // The jump list stays in reach at the top while the cards scroll under it.
    const bar = (await page.locator('.coverage-jump').boundingBox())!;
    expect(bar.y).toBeGreaterThanOrEqual(0);
    expect(bar.y).toBeLessThan(80);
    await page.screenshot({ path: `${process.cwd()}/test-output/screenshots/coverage-jump-phone.png` });

    // Grouped by prefecture, the list follows the rows.
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.getByLabel('统计层级').selectOption('prefecture');
    await expect.poll(() => jump.locator('option').count(), { timeout: UI_TIMEOUT }).toBe(6);
    await screenshot(page, 'coverage-prefectures', PHONE);
    await context.close();
  }, 60_000);
});
