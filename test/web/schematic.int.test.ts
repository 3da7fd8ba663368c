/** The scheme schematic in Chromium: sites drawn from the registry's upstream links, each with its live state. */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { apiKey, smallRegistry } from '../helpers/small-registry.js';
import { chromiumAvailable, DESKTOP, launchChromium, screenshot, signIn } from './browser.js';
import { connectDevice, history, type TestDevice } from './device.js';

const UI_TIMEOUT = 15_000;

describe.runIf(chromiumAvailable())('the scheme schematic', () => {
  let p: TestPlatform;
  let browser: Browser;
  let page: Page;
  const devices: TestDevice[] = [];

  beforeAll(async () => {
    const file = smallRegistry();
    // A fuller scheme: plant → reservoir → two mains → a tap.
    file.sites = [
      { id: 'xiji-s1-src', scheme: 'xiji-s1', kind: 'source' },
      { id: 'xiji-s1-plant', scheme: 'xiji-s1', kind: 'plant', upstream: 'xiji-s1-src' },
      { id: 'xiji-s1-res', scheme: 'xiji-s1', kind: 'reservoir', upstream: 'xiji-s1-plant' },
      { id: 'xiji-s1-p1', scheme: 'xiji-s1', kind: 'pipe', upstream: 'xiji-s1-res' },
      { id: 'xiji-s1-p2', scheme: 'xiji-s1', kind: 'pipe', upstream: 'xiji-s1-res' },
      { id: 'xiji-s1-t1', scheme: 'xiji-s1', kind: 'tap', upstream: 'xiji-s1-p2' },
      { id: 'longde-w1-plant', scheme: 'longde-w1', kind: 'plant' },
    ];
    p = await startTestPlatform(file, { sim: false });
    const now = Date.now();
    const plant = await connectDevice(p.mqttUrl, 'd-0001');
    const pipe = await connectDevice(p.mqttUrl, 'd-0002');
    devices.push(plant, pipe);
    await plant.publish(
      history(
        { chlorine: (i) => 0.6 + 0.05 * Math.sin(i), turbidity: (i) => 0.3 + 0.02 * Math.cos(i) },
        now,
        5,
        60_000,
      ),
    );
    await pipe.publish([
      ...history(
        { pressure: (i) => 0.3 + 0.01 * Math.sin(i), chlorine: (i) => 0.3 + 0.01 * Math.cos(i) },
        now - 120_000,
        6,
        60_000,
      ),
      { ts: now - 60_000, values: { pressure: 0.04, chlorine: 0.3 } },
      { ts: now - 1_000, values: { pressure: 0.04, chlorine: 0.3 } },
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

  it('draws every site of the scheme from source to tap, each downstream site right of its upstream', async () => {
    await page.getByRole('link', { name: '示意图' }).click();
    await page.waitForURL(/\/schemes/);
    const scheme = page.locator('section[data-scheme="xiji-s1"]');
    await scheme.locator('g.node').first().waitFor({ timeout: UI_TIMEOUT });
    expect(await scheme.locator('g.node').count()).toBe(6);
    expect(await scheme.locator('path.edge').count()).toBe(5);
    const x = async (site: string) => (await scheme.locator(`g[data-site="${site}"]`).boundingBox())!.x;
    const y = async (site: string) => (await scheme.locator(`g[data-site="${site}"]`).boundingBox())!.y;
    const chain = ['xiji-s1-src', 'xiji-s1-plant', 'xiji-s1-res', 'xiji-s1-p2', 'xiji-s1-t1'];
    for (let i = 1; i < chain.length; i++) expect(await x(chain[i]!)).toBeGreaterThan(await x(chain[i - 1]!));
    // The two mains branch from the reservoir on their own rows.
    expect(await y('xiji-s1-p1')).not.toBe(await y('xiji-s1-p2'));
  });

  it("shows each site's state, latest values and active alerts", async () => {
    const scheme = page.locator('section[data-scheme="xiji-s1"]');
    const node = (site: string) => scheme.locator(`g[data-site="${site}"]`);
    await expect
      .poll(() => node('xiji-s1-p1').getAttribute('data-state'), { timeout: UI_TIMEOUT })
      .toMatch(/critical|warning/);
    expect(await node('xiji-s1-p1').locator('.node-state').textContent()).toMatch(/⚠ \d+ 条告警/);
    expect(await node('xiji-s1-p1').locator('.node-values').textContent()).toContain('0.04 MPa');
    expect(await node('xiji-s1-p1').locator('title').textContent()).toContain('水压过低');
    expect(await node('xiji-s1-plant').getAttribute('data-state')).toBe('ok');
    expect(await node('xiji-s1-plant').locator('.node-values').textContent()).toMatch(/余氯 0\.\d+ mg\/L/);
    expect(await node('xiji-s1-t1').getAttribute('data-state')).toBe('none');
    expect(await page.locator('#schematic-summary').textContent()).toMatch(
      /1 个工程 · 6 个站点 · 1 个站点有告警/,
    );
    await screenshot(page, 'schematic', DESKTOP);
  });
});
