/**
 * A planner in Chromium: the daily trend of each indicator against its 2027 target, "no quality data"
 * instead of 0 %, a county's own standing, and the printable monthly report.
 * With DOCS_SCREENSHOTS=1 the screenshots are written to docs/ for the README.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCoverageHistory } from '../../api/coverage-history.js';
import { createApp } from '../../api/create-app.js';
import { type HttpListening, listenHttp } from '../../api/serve.js';
import type { Registry } from '../../core/registry.js';
import type { RegistryFile } from '../../core/registry-schema.js';
import { qualityLimits } from '../../core/rules/quality.js';
import { enrich } from '../../core/stored-reading.js';
import { addDays, startOfDay } from '../../core/time-zone.js';
import { createSqliteStore, type SqliteStore } from '../../store/sqlite-store.js';
import { coverageRegistry } from '../api/coverage-registry.js';
import { buildRegistry } from '../api/fixture.js';
import { apiKey } from '../helpers/small-registry.js';
import { chromiumAvailable, DESKTOP, launchChromium, SCREENSHOTS, signIn } from './browser.js';

const UI_TIMEOUT = 15_000;
const OUT = process.env.DOCS_SCREENSHOTS === '1' ? join(process.cwd(), 'docs') : SCREENSHOTS;

/** The coverage test registry with Chinese names, as a bureau's would read. */
function chineseRegistry(): RegistryFile {
  const f = coverageRegistry();
  const zh: Record<string, [string, string]> = {
    'p-north': ['固原市', 'Guyuan'],
    'p-south': ['中卫市', 'Zhongwei'],
    'p-empty': ['石嘴山市', 'Shizuishan'],
    'c-a': ['原州区', 'Yuanzhou'],
    'c-b': ['彭阳县', 'Pengyang'],
    'c-c': ['海原县', 'Haiyuan'],
    'c-d': ['沙坡头区', 'Shapotou'],
    's-big': ['原州区城乡供水工程', 'Yuanzhou works'],
    's-int': ['彭阳县城乡一体化供水', 'Pengyang integrated'],
    's-small': ['彭阳县山泉水井', 'Pengyang spring well'],
    's-pop': ['海原县西安供水工程', "Haiyuan Xi'an works"],
  };
  const named = <T extends { id: string; name: string }>(x: T) =>
    zh[x.id] ? { ...x, name: zh[x.id]![0], nameEn: zh[x.id]![1] } : x;
  return {
    ...f,
    region: { ...f.region, name: '宁夏回族自治区', nameEn: 'Ningxia' },
    prefectures: f.prefectures.map(named),
    counties: f.counties.map(named),
    schemes: f.schemes.map(named),
  };
}

describe.runIf(chromiumAvailable())('coverage trend and monthly report in Chromium', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wl-trend-'));
  let store: SqliteStore;
  let http: HttpListening;
  let base: string;
  let browser: Browser;
  let page: Page;
  let registry: Registry;

  beforeAll(async () => {
    const log = pino({ level: 'silent' });
    const before = buildRegistry(chineseRegistry());
    const connected = chineseRegistry();
    // Day 40 of 60: village v2 (500 people) is connected to the Yuanzhou works, with taps.
    connected.villages = connected.villages.map((v) =>
      v.id === 'v2' ? { ...v, scheme: 's-big', tap: true } : v,
    );
    const after = buildRegistry(connected);
    registry = before;
    store = createSqliteStore({ path: join(dir, 'store.db'), pruneIntervalMs: 0 });
    const today = startOfDay(Date.now(), 'Asia/Shanghai');
    let now = 0;
    const history = createCoverageHistory({
      store,
      registry: () => registry,
      clock: () => now,
      log,
      intervalMs: 0,
    });
    for (let d = -60; d <= 0; d++) {
      const day = addDays(today, d, 'Asia/Shanghai');
      if (d === -20) registry = after;
      // Turbidity at the Yuanzhou plant improves as the new filters settle in: fewer readings above 1 NTU.
      const readings = Array.from({ length: 24 }, (_, h) => {
        const dv = registry.devices.get(h % 2 ? 'dv-1' : 'dv-5')!;
        const bad = h < Math.max(0, 8 - Math.floor((d + 60) / 8));
        const values =
          dv.id === 'dv-1'
            ? { turbidity: bad ? 1.6 : 0.4, chlorine: 0.6, ph: 7.2 }
            : { chlorine: bad ? 0.1 : 0.5, ph: 7.4 };
        return enrich(dv, { ts: day + h * 3_600_000, values }, qualityLimits(dv, []));
      });
      await store.writeReadings(readings);
      now = Math.min(Date.now(), day + 23.5 * 3_600_000);
      await history.tick();
    }
    const app = createApp({ registry: () => registry, store, online: () => false, log });
    http = await listenHttp(app, 0, '127.0.0.1');
    base = `http://127.0.0.1:${http.port}`;
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN' });
    page = await context.newPage();
    await signIn(page, base, apiKey('planner'), /\/coverage/);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await http?.close();
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('draws each indicator day by day against its 2027 target, for the region or one county', async () => {
    const chart = page.locator('#trend-chart');
    await expect.poll(() => chart.getAttribute('data-points'), { timeout: UI_TIMEOUT }).toBe('62'); // 61 days seeded, and the day before the first tick
    await expect(chart.locator('canvas').first().isVisible()).resolves.toBe(true);
    // The legend names the indicator and the target line.
    await expect(page.locator('#trend-chart .u-legend').textContent()).resolves.toMatch(
      /农村自来水普及率[\s\S]*2027 年目标/,
    );
    const label = async () => (await chart.getAttribute('aria-label')) ?? '';
    // Region tap water rate rose when v2 was connected: 12300/12800 before, all 12800 after.
    expect(await label()).toContain('100%');
    await page.locator('#trend-controls select[name=place]').selectOption('county:c-a');
    await page.locator('#trend-controls select[name=indicator]').selectOption('qualityCompliance');
    await expect.poll(label, { timeout: UI_TIMEOUT }).toMatch(/^水质达标率:/);
    mkdirSync(OUT, { recursive: true });
    await page.locator('#coverage-trend').screenshot({ path: join(OUT, 'coverage-trend.png') });
  });

  it('says "no quality data" where a county has none, and whether each county itself meets every target', async () => {
    const row = page.locator('tr[data-row="c-b"]');
    await expect
      .poll(() => row.locator('td[data-indicator=qualityCompliance]').textContent(), { timeout: UI_TIMEOUT })
      .toContain('无水质数据');
    await expect(row.locator('td[data-indicator=safeWaterCoverage]').textContent()).resolves.toContain(
      '无水质数据',
    );
    await expect(row.locator('td[data-indicator=standardizedCountyShare]').textContent()).resolves.toContain(
      '本县未全部达标',
    );
    await expect(
      row.locator('td[data-indicator=standardizedCountyShare]').textContent(),
    ).resolves.not.toContain('0%');
  });

  it('renders the printable monthly report on A4 with every table', async () => {
    // Last month in Beijing: the month a report is written about, wholly inside the seeded 60 days.
    const firstOfThisMonth = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 8);
    const month = new Date(Date.parse(`${firstOfThisMonth}01T00:00:00Z`) - 86_400_000)
      .toISOString()
      .slice(0, 7);
    const at = (day: string) => `${month}-${day}T09:00:00+08:00`;
    const post = (site: string, day: string, values: Record<string, number>) =>
      fetch(`${base}/api/v1/samples`, {
        method: 'POST',
        headers: { authorization: `Bearer ${apiKey('demo-admin')}`, 'content-type': 'application/json' },
        body: JSON.stringify({ site, sampledAt: at(day), lab: '固原市疾控中心', values }),
      });
    await post('pop-plant', '12', { 'e-coli': 2, turbidity: 0.4, ph: 7.6 });
    await post('big-plant', '15', { turbidity: 0.6, ph: 7.4, 'plate-count': 30, arsenic: 0.002 });
    await post('int-plant', '16', { nitrate: 12, fluoride: 0.6 });
    await post('pop-plant', '20', { 'e-coli': 0, turbidity: 0.3, ph: 7.5 });
    // The e-coli alert was acknowledged 45 minutes after the sample, with what was done.
    const found = await store.listAlerts({ since: Date.parse(at('12')), limit: 10 });
    const eColi = found.items.find((a) => a.ruleId === 'lab-e-coli')!;
    const ackAt = new Date(Date.parse(at('12')) + 45 * 60_000).toISOString();
    await store.appendAlertEvents([
      {
        type: 'acknowledged',
        at: ackAt,
        alert: {
          ...eColi,
          acknowledged: true,
          acknowledgedAt: ackAt,
          acknowledgedBy: 'ops-haiyuan',
          note: '加大投氯量，冲洗管网后复检',
        },
      },
    ]);
    const res = await fetch(`${base}/api/v1/reports/monthly?period=${month}&format=html`, {
      headers: { authorization: `Bearer ${apiKey('planner')}` },
    });
    expect(res.status).toBe(200);
    const report = await browser.newPage({ viewport: { width: 900, height: 1200 } });
    await report.setContent(await res.text());
    await expect(report.locator('h1').textContent()).resolves.toBe(`宁夏回族自治区 ${month} 农村供水月报`);
    await expect(report.locator('#summary tbody tr').count()).resolves.toBe(8);
    await expect(report.locator('#schemes tbody tr').count()).resolves.toBe(4);
    await expect(report.locator('#schemes tr[data-scheme=s-small]').textContent()).resolves.toContain(
      '无数据',
    );
    await expect(report.locator('#actions').textContent()).resolves.toContain('加大投氯量，冲洗管网后复检');
    await expect(report.locator('#alerts').textContent()).resolves.toContain('lab-e-coli');
    // It prints: Chromium lays it out as an A4 PDF.
    const pdf = await report.pdf({ format: 'A4' });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    await report.screenshot({ path: join(OUT, 'monthly-report.png'), fullPage: true });
    await report.close();
  });

  it('shows a failed lab sample on the alert board under its indicator, in Chinese', async () => {
    const res = await fetch(`${base}/api/v1/samples`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey('demo-admin')}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        site: 'big-plant',
        sampledAt: Date.now() - 3_600_000,
        lab: '原州区疾控中心',
        values: { 'e-coli': 4 },
      }),
    });
    expect(res.status).toBe(200);
    await page.goto(`${base}/alerts`);
    const board = page.locator('main');
    await expect
      .poll(() => board.textContent(), { timeout: UI_TIMEOUT })
      .toContain('化验不合格：大肠埃希氏菌');
    await expect(board.textContent()).resolves.toContain('实验室检测大肠埃希氏菌 4 MPN/100mL');
  });

  it('uploads a lab file from the page and lists each bad row by row and column', async () => {
    const context = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN' });
    const admin = await context.newPage();
    await signIn(admin, base, apiKey('demo-admin'), /\/alerts/);
    await admin.goto(`${base}/coverage`);
    const day = new Date(Date.now() - 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 10);
    const csv = `站点,采样时间,检测机构,浑浊度,pH\r\nbig-plant,${day} 09:00,原州区疾控中心,0.4,7.2\r\nbig-plant,${day} 10:00,原州区疾控中心,浑,7.2\r\n`;
    await admin.locator('#samples-form input[type=file]').setInputFiles({
      name: 'results.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(csv),
    });
    await admin.getByRole('button', { name: '上传' }).click();
    const result = admin.locator('#samples-result');
    await expect
      .poll(() => result.textContent(), { timeout: UI_TIMEOUT })
      .toContain('已保存 1 个样品，1 处问题');
    await expect(result.textContent()).resolves.toContain('第 3 行，浑浊度："浑" is not a number');
    await context.close();
  });
});
