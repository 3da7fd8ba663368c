/** A planner in Chromium: coverage figures that match the API, other groupings, CSV download, no acknowledging. */
import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { apiKey, smallRegistry } from '../helpers/small-registry.js';
import { chromiumAvailable, DESKTOP, launchChromium, PHONE, screenshot, signIn } from './browser.js';
import { connectDevice, history, type TestDevice } from './device.js';

interface Indicator {
  value: number | null;
  target: number;
}
interface Coverage {
  rows: { id: string; name: string; ruralPopulation: number; indicators: Record<string, Indicator> }[];
}

const UI_TIMEOUT = 15_000;

describe.runIf(chromiumAvailable())('the planner pages in Chromium', () => {
  let p: TestPlatform;
  let browser: Browser;
  let page: Page;
  const devices: TestDevice[] = [];
  const api = async (path: string) => {
    const res = await fetch(`${p.httpUrl}${path}`, {
      headers: { authorization: `Bearer ${apiKey('planner')}` },
    });
    if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
    return res;
  };

  beforeAll(async () => {
    p = await startTestPlatform(smallRegistry(), { sim: false });
    const now = Date.now();
    // Xiji's plant is compliant; Longde's well is under-chlorinated, so the two counties differ.
    const xiji = await connectDevice(p.mqttUrl, 'd-0001');
    const longde = await connectDevice(p.mqttUrl, 'd-0003');
    devices.push(xiji, longde);
    await xiji.publish(
      history(
        { chlorine: (i) => 0.6 + 0.1 * Math.sin(i), turbidity: (i) => 0.3 + 0.05 * Math.cos(i) },
        now,
        12,
        60_000,
      ),
    );
    await longde.publish(
      history(
        { chlorine: (i) => 0.1 + 0.02 * Math.sin(i), turbidity: (i) => 0.5 + 0.1 * Math.cos(i) },
        now,
        12,
        60_000,
      ),
    );
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN', acceptDownloads: true });
    page = await context.newPage();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    for (const d of devices) await d.end().catch(() => {});
    await p?.stop();
  });

  /** The cell of one indicator of one row, as the page shows it. */
  const cellText = (row: string, indicator: string) =>
    page.locator(`tr[data-row="${row}"] td[data-indicator="${indicator}"] .value`).textContent();

  it("shows each county's indicators as the API computes them, with targets and colour by standing", async () => {
    await signIn(page, p.httpUrl, apiKey('planner'), /\/coverage$/);
    await page.locator('tr[data-row="longde"]').waitFor({ timeout: UI_TIMEOUT });
    const cov = (await (await api('/api/v1/coverage?groupBy=county&window=24h')).json()) as Coverage;
    expect(cov.rows.map((r) => r.id).sort()).toEqual(['longde', 'xiji']);
    const pct = new Intl.NumberFormat('zh-CN', { style: 'percent', maximumFractionDigits: 1 });
    for (const row of cov.rows) {
      expect(await page.locator(`tr[data-row="${row.id}"] th`).textContent()).toBe(row.name);
      const population = page.locator(`tr[data-row="${row.id}"] td.num`);
      expect(await population.textContent()).toBe(new Intl.NumberFormat('zh-CN').format(row.ruralPopulation));
      for (const [name, ind] of Object.entries(row.indicators)) {
        // A county row shows whether the county itself meets every target, not a share of one county.
        if (name === 'standardizedCountyShare') {
          expect(await cellText(row.id, name)).toBe(ind.value === 1 ? '✓ 本县全部达标' : '✗ 本县未全部达标');
          continue;
        }
        expect(await cellText(row.id, name), `${row.id} ${name}`).toBe(
          ind.value !== null
            ? pct.format(ind.value)
            : (ind as { reason?: string }).reason === 'no-quality-data'
              ? '无水质数据'
              : '—',
        );
        const standing = await page
          .locator(`tr[data-row="${row.id}"] td[data-indicator="${name}"]`)
          .getAttribute('data-standing');
        const expected =
          ind.value === null
            ? 'none'
            : ind.value >= ind.target
              ? 'meets'
              : ind.target - ind.value <= 0.05
                ? 'near'
                : 'below';
        expect(standing, `${row.id} ${name}`).toBe(expected);
      }
    }
    // Longde: 400 of its 700 people have taps (57.1 %), far below 98 %.
    expect(await cellText('longde', 'tapWaterRate')).toBe('57.1%');
    expect(await page.locator('#coverage-summary').textContent()).toContain('达标县区比例');
    await screenshot(page, 'coverage', DESKTOP);
    await screenshot(page, 'coverage', PHONE);
    await page.setViewportSize(DESKTOP);
  });

  it('groups by prefecture and region, and downloads a CSV with Chinese headers and percentages', async () => {
    await page.getByLabel('统计层级').selectOption('prefecture');
    await page.locator('tr[data-row="guyuan"]').waitFor({ timeout: UI_TIMEOUT });
    await page.getByLabel('统计层级').selectOption('region');
    await page.locator('tr[data-row="nx"]').waitFor({ timeout: UI_TIMEOUT });
    expect(await page.locator('#coverage-table tbody tr').count()).toBe(1);

    await page.getByLabel('统计层级').selectOption('county');
    await page.locator('tr[data-row="xiji"]').waitFor({ timeout: UI_TIMEOUT });
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: '下载 CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('coverage-county-24h.csv');
    // The file is saved byte for byte (a spreadsheet's byte-order mark included, which fetch's text() drops).
    const csv = (await readFile((await download.path())!, 'utf8')).replace(/^\uFEFF/, '');
    const fromApi = await (await api('/api/v1/coverage?groupBy=county&window=24h&format=json')).json();
    const [header, ...lines] = csv.trim().split(/\r?\n/);
    expect(header).toMatch(/^编号,名称,农村人口,农村自来水普及率,农村自来水普及率目标,/);
    // The same counties as the API, each indicator as a percentage with one decimal.
    const longde = (
      fromApi as { rows: { id: string; indicators: { tapWaterRate: { value: number } } }[] }
    ).rows.find((r) => r.id === 'longde')!;
    const row = lines.find((l) => l.startsWith('longde,'))!.split(',');
    expect(row[3]).toBe(`${(longde.indicators.tapWaterRate.value * 100).toFixed(1)}%`);
    expect(lines.some((l) => l.startsWith('xiji,'))).toBe(true);
  });

  it('switches to English, with the numbers formatted for it', async () => {
    await page.getByRole('link', { name: 'English' }).click();
    await page.locator('html[lang="en"]').waitFor();
    await page.locator('tr[data-row="longde"]').waitFor({ timeout: UI_TIMEOUT });
    expect(await page.locator('h1').textContent()).toBe('Coverage and the 2027 targets');
    expect(await cellText('longde', 'tapWaterRate')).toBe('57.1%');
    expect(await page.locator('th[data-indicator="tapWaterRate"]').textContent()).toBe('Tap water rate');
    await page.getByRole('link', { name: '中文' }).click();
    await page.locator('html[lang="zh-CN"]').waitFor();
  });

  it('shows a planner the alert board without acknowledge buttons', async () => {
    await page.goto(`${p.httpUrl}/alerts`);
    // Longde's under-chlorinated plant raised an alert; a planner reads it but may not acknowledge it.
    const item = page.locator('li.alert[data-county="longde"]').first();
    await item.waitFor({ timeout: UI_TIMEOUT });
    expect(await item.getByRole('button', { name: '详情' }).count()).toBe(1);
    expect(await page.locator('li.alert button[data-action="ack"]').count()).toBe(0);
  });
});
