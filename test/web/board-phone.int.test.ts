/** The operator's phone: the list first, a banner naming its place that leaves on someone's acknowledgement, Chinese throughout. */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { apiKey, smallRegistry } from '../helpers/small-registry.js';
import { chromiumAvailable, launchChromium, PHONE, screenshot, signIn } from './browser.js';
import { connectDevice, history, type TestDevice } from './device.js';

const UI_TIMEOUT = 15_000;

describe.runIf(chromiumAvailable())('the alert board on a 390×844 phone', () => {
  let p: TestPlatform;
  let browser: Browser;
  let page: Page;
  const devices: TestDevice[] = [];
  const admin = (path: string, init: RequestInit = {}) =>
    fetch(`${p.httpUrl}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${apiKey('demo-admin')}`, 'content-type': 'application/json' },
    });

  beforeAll(async () => {
    const file = smallRegistry();
    file.counties = file.counties.map((c) => ({
      ...c,
      name: c.id === 'xiji' ? 'Xiji (西吉县)' : 'Longde (隆德县)',
    }));
    p = await startTestPlatform(file, { sim: false });
    const now = Date.now();
    const plant = await connectDevice(p.mqttUrl, 'd-0001');
    const pipe = await connectDevice(p.mqttUrl, 'd-0002');
    devices.push(plant, pipe);
    await plant.publish(
      history(
        { chlorine: (i) => 0.6 + 0.1 * Math.sin(i / 5), turbidity: (i) => 0.3 + 0.05 * Math.cos(i) },
        now - 60_000,
        12,
        60_000,
      ),
    );
    browser = await launchChromium();
    const context = await browser.newContext({
      viewport: PHONE,
      isMobile: true,
      hasTouch: true,
      locale: 'zh-CN',
    });
    page = await context.newPage();
    await signIn(page, p.httpUrl, apiKey('ops-xiji'), /\/alerts$/);
    await page.locator('#stream-status[data-state="live"]').waitFor({ timeout: UI_TIMEOUT });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    for (const d of devices) await d.end().catch(() => {});
    await p?.stop();
  });

  it('raises a banner naming the county and site, with a button that stays on one line', async () => {
    const t = Date.now();
    // GB 5749-2022: free chlorine at the plant outlet at least 0.3 mg/L.
    await devices[0]!.publish([
      { ts: t - 1000, values: { chlorine: 0.01 } },
      { ts: t, values: { chlorine: 0.01 } },
    ]);
    await page.locator('#cue').waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    await expect
      .poll(() => page.locator('#cue-text').textContent(), { timeout: UI_TIMEOUT })
      .toContain('西吉县');
    const text = (await page.locator('#cue-text').textContent())!;
    expect(text).toContain('水厂出水 xiji-s1-plant');
    expect(text).toContain('出厂水余氯异常');
    const button = (await page.locator('#cue-dismiss').boundingBox())!;
    const lineHeight = await page
      .locator('#cue-dismiss')
      .evaluate((b) => Number.parseFloat(getComputedStyle(b).lineHeight) || 20);
    // One line of text plus padding, and wide enough for its words.
    expect(button.height).toBeLessThan(lineHeight * 2 + 16);
    expect(button.width).toBeGreaterThan(button.height);
  });

  it('puts the first alert on the first screen, with the filters folded', async () => {
    const first = page.locator('li.alert').first();
    await first.waitFor({ timeout: UI_TIMEOUT });
    const box = (await first.boundingBox())!;
    expect(box.y + 60).toBeLessThan(PHONE.height);
    expect(await page.locator('#filters-fold').evaluate((d) => (d as HTMLDetailsElement).open)).toBe(false);
    expect(await page.locator('#alert-filters select[name="severity"]').isVisible()).toBe(false);
    await screenshot(page, 'board', PHONE);
  });

  it('shows the system message in Chinese, and finds alerts by the Chinese county name', async () => {
    const t = Date.now();
    // A burst: pressure falls from 0.4 MPa to 0.05 MPa within the rule's 5-minute window.
    await devices[1]!.publish([
      { ts: t - 200_000, values: { pressure: 0.4, chlorine: 0.3 } },
      { ts: t - 140_000, values: { pressure: 0.41, chlorine: 0.3 } },
      { ts: t - 80_000, values: { pressure: 0.05, chlorine: 0.3 } },
      { ts: t - 20_000, values: { pressure: 0.05, chlorine: 0.3 } },
    ]);
    const burst = page.locator('li.alert[data-rule="pressure-drop"]');
    await burst.waitFor({ timeout: UI_TIMEOUT });
    await burst.getByRole('button', { name: '详情' }).click();
    const detail = page.locator('#alert-detail');
    await detail.locator('dd').first().waitFor({ timeout: UI_TIMEOUT });
    const message = (await detail.locator('dt:has-text("系统消息") + dd').textContent())!;
    expect(message).toMatch(
      /^管网 xiji-s1-p1：压力 0\.05 MPa，比前 5 分钟最高值（0\.41 MPa）低 88%，疑似爆管$/,
    );
    expect(message).not.toMatch(/[a-z]{4,} [a-z]{4,}/);
    await detail.getByRole('button', { name: '关闭' }).click();

    await page.locator('#filters-fold > summary').click();
    const search = page.getByLabel('搜索');
    const all = await page.locator('li.alert').count();
    expect(all).toBeGreaterThanOrEqual(2);
    // Every alert of this operator is in Xiji: the Chinese name finds them all, Longde's none.
    await search.fill('西吉');
    await expect.poll(() => page.locator('li.alert').count(), { timeout: UI_TIMEOUT }).toBe(all);
    expect(await page.locator('#filters-active').textContent()).toContain('1');
    await search.fill('隆德');
    await expect.poll(() => page.locator('li.alert').count(), { timeout: UI_TIMEOUT }).toBe(0);
    await search.fill('爆管');
    await expect.poll(() => page.locator('li.alert').count(), { timeout: UI_TIMEOUT }).toBe(1);
    await search.fill('');
    await page.locator('#filters-fold > summary').click();
  });

  it('takes the banner down when someone else acknowledges its alert', async () => {
    await page.locator('#cue').waitFor({ state: 'visible' });
    const cued = await page.locator('body').getAttribute('data-cue-alert');
    const plantAlert = await page
      .locator('li.alert[data-rule="chlorine-plant"]')
      .getAttribute('data-alert-id');
    // The burst came later and took the banner; acknowledging it brings back the chlorine one.
    const burstId = await page.locator('li.alert[data-rule="pressure-drop"]').getAttribute('data-alert-id');
    expect(cued).toBe(burstId);
    expect((await admin(`/api/v1/alerts/${burstId}/ack`, { method: 'POST', body: '{}' })).status).toBe(200);
    await expect
      .poll(() => page.locator('body').getAttribute('data-cue-alert'), { timeout: UI_TIMEOUT })
      .toBe(plantAlert);
    expect(await page.locator('#cue-text').textContent()).toContain('出厂水余氯异常');
    expect((await admin(`/api/v1/alerts/${plantAlert}/ack`, { method: 'POST', body: '{}' })).status).toBe(
      200,
    );
    await page.locator('#cue').waitFor({ state: 'hidden', timeout: UI_TIMEOUT });
    await expect.poll(() => page.title()).not.toMatch(/^\(\d+\)/);
  });
});
