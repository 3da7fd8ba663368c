/** Accessibility basics checked by axe-core in Chromium: labels, names, contrast, landmarks, on every page. */
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { apiKey, smallRegistry } from '../helpers/small-registry.js';
import { chromiumAvailable, DESKTOP, launchChromium, PHONE, signIn } from './browser.js';
import { connectDevice, history, type TestDevice } from './device.js';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const UI_TIMEOUT = 15_000;

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

describe.runIf(chromiumAvailable())('accessibility of the pages', () => {
  let p: TestPlatform;
  let browser: Browser;
  let page: Page;
  let device: TestDevice;

  /** WCAG 2.1 A and AA rules; each violation is listed with the elements it concerns. */
  const audit = async (): Promise<string[]> => {
    await page.addScriptTag({ path: AXE });
    const { violations, passes } = await page.evaluate(async () => {
      type Result = { violations: Violation[]; passes: unknown[] };
      const axe = (window as unknown as { axe: { run(o: unknown): Promise<Result> } }).axe;
      const r = await axe.run({
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      });
      return { violations: r.violations, passes: r.passes.length };
    });
    // An audit that checked nothing would pass just as quietly: colour contrast and labels must have run.
    expect(passes).toBeGreaterThan(5);
    return violations.map(
      (v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
    );
  };

  beforeAll(async () => {
    p = await startTestPlatform(smallRegistry(), { sim: false });
    device = await connectDevice(p.mqttUrl, 'd-0001');
    const now = Date.now();
    await device.publish(
      history(
        { chlorine: (i) => 0.5 + 0.1 * Math.sin(i), ph: (i) => 7 + 0.2 * Math.cos(i) },
        now - 5000,
        30,
        60_000,
      ),
    );
    await device.publish([
      { ts: now - 1000, values: { chlorine: 0.01 } },
      { ts: now, values: { chlorine: 0.01 } },
    ]);
    browser = await launchChromium();
    // axe is injected as a script, which the pages' content security policy would refuse.
    page = await (await browser.newContext({ viewport: DESKTOP, bypassCSP: true })).newPage();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await device?.end().catch(() => {});
    await p?.stop();
  });

  it('finds no WCAG A/AA violations on the sign-in page and the alert board with its detail', async () => {
    await page.goto(`${p.httpUrl}/`);
    expect(await audit()).toEqual([]);
    await signIn(page, p.httpUrl, apiKey('ops-xiji'), /\/alerts$/);
    const item = page.locator('li.alert[data-rule="chlorine-plant"]');
    await item.waitFor({ timeout: UI_TIMEOUT });
    await item.getByRole('button', { name: '详情' }).click();
    await page.locator('#alert-detail canvas').waitFor({ timeout: UI_TIMEOUT });
    expect(await audit()).toEqual([]);
    await page.setViewportSize(PHONE);
    expect(await audit()).toEqual([]);
    await page.setViewportSize(DESKTOP);
  });

  it('can acknowledge with the keyboard alone', async () => {
    const ack = page.locator('li.alert[data-rule="chlorine-plant"] button[data-action="ack"]');
    await ack.focus();
    await page.keyboard.press('Enter');
    const note = page.getByLabel('备注（可选）');
    await expect.poll(() => note.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.type('keyboard only');
    const focused = () => page.evaluate(() => document.activeElement?.textContent ?? '');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('取消');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('确认告警');
    await page.keyboard.press('Enter');
    await page.locator('li.alert[data-rule="chlorine-plant"] .state-acked').waitFor({ timeout: UI_TIMEOUT });
    // The keyboard stays on the alert: its details button, now that acknowledging is done.
    await expect.poll(focused).toBe('详情');
  });

  it('finds no WCAG A/AA violations on the devices, schematic and coverage pages', async () => {
    await page.goto(`${p.httpUrl}/devices`);
    await page.locator('li.device[data-device-id="d-0001"]').waitFor({ timeout: UI_TIMEOUT });
    await page.locator('li.device[data-device-id="d-0001"] button').click();
    await page.locator('#device-chart canvas').waitFor({ timeout: UI_TIMEOUT });
    expect(await audit()).toEqual([]);
    await page.goto(`${p.httpUrl}/schemes`);
    await page.locator('g.node[data-site="xiji-s1-plant"]').waitFor({ timeout: UI_TIMEOUT });
    expect(await audit()).toEqual([]);
    await page.goto(`${p.httpUrl}/coverage`);
    await page.locator('tr[data-row="xiji"]').waitFor({ timeout: UI_TIMEOUT });
    expect(await audit()).toEqual([]);
    await page.setViewportSize(PHONE);
    expect(await audit()).toEqual([]);
  });

  it('finds no WCAG A/AA violations on the maintenance page', async () => {
    await page.setViewportSize(DESKTOP);
    await page.goto(`${p.httpUrl}/maintenance`);
    await page.locator('#maint-rows tr').first().waitFor({ timeout: UI_TIMEOUT });
    expect(await audit()).toEqual([]);
    await page.setViewportSize(PHONE);
    expect(await audit()).toEqual([]);
  });
});
