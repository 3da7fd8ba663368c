/**
 * The monthly report: the XLSX opened with exceljs and checked cell by cell against figures computed here
 * from the same test data (not through the coverage code), the month taken in Asia/Shanghai; and the
 * printable page and its scoping.
 */
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Alert, AlertEvent } from '../../core/alert.js';
import type { Metric } from '../../core/metrics.js';
import { qualityLimits } from '../../core/rules/quality.js';
import { enrich } from '../../core/stored-reading.js';
import { apiKey } from '../helpers/small-registry.js';
import { coverageRegistry } from './coverage-registry.js';
import { type ApiFixture, createFixture } from './fixture.js';

const bj = (s: string) => Date.parse(`${s}+08:00`);
const iso = (ms: number) => new Date(ms).toISOString();
let now = bj('2026-11-01T00:00:00');
let f: ApiFixture;

/** Online samples written, with whether each is within its GB 5749-2022 limit (judged by hand here). */
const ONLINE: {
  device: string;
  at: string;
  values: Partial<Record<Metric, number>>;
  ok: number;
  n: number;
  inNov: boolean;
}[] = [
  { device: 'dv-1', at: '2026-10-31T23:30:00', values: { turbidity: 2 }, ok: 0, n: 1, inNov: false },
  {
    device: 'dv-1',
    at: '2026-11-10T08:00:00',
    values: { turbidity: 0.3, chlorine: 0.5, ph: 7 },
    ok: 3,
    n: 3,
    inNov: true,
  },
  { device: 'dv-1', at: '2026-11-11T08:00:00', values: { turbidity: 1.5 }, ok: 0, n: 1, inNov: true },
  { device: 'dv-5', at: '2026-11-12T08:00:00', values: { chlorine: 0.1 }, ok: 0, n: 1, inNov: true },
  { device: 'dv-1', at: '2026-12-01T00:10:00', values: { turbidity: 2 }, ok: 0, n: 1, inNov: false },
];

/** Lab samples: site, time, values, and whether the sample complies as a whole. */
const LAB = [
  { site: 'pop-plant', at: '2026-11-15T09:00:00', values: { ph: 7 }, ok: true, scheme: 's-pop' },
  { site: 'pop-plant', at: '2026-11-16T09:00:00', values: { 'e-coli': 2 }, ok: false, scheme: 's-pop' },
  { site: 'big-plant', at: '2026-11-20T09:00:00', values: { turbidity: 0.5 }, ok: true, scheme: 's-big' },
];

beforeEach(async () => {
  now = bj('2026-11-01T00:00:00');
  f = createFixture({ file: coverageRegistry(), clock: () => now });
  for (const o of ONLINE) {
    const d = f.registry.devices.get(o.device)!;
    await f.store.writeReadings([enrich(d, { ts: bj(o.at), values: o.values }, qualityLimits(d, []))]);
  }
  for (const s of LAB) {
    now = bj(s.at) + 60_000;
    const res = await f.call('/api/v1/samples', {
      method: 'POST',
      body: { site: s.site, sampledAt: `${s.at}+08:00`, lab: '固原市疾控中心', values: s.values },
    });
    expect(res.status).toBe(200);
  }
  // The e-coli alert of 16 November is acknowledged 30 minutes after the sample, with what was done.
  const eColi = (await f.store.activeAlerts()).find((a) => a.ruleId === 'lab-e-coli')!;
  now = bj('2026-11-16T09:30:00');
  await f.call(`/api/v1/alerts/${eColi.id}/ack`, { method: 'POST', body: { note: '加氯消毒并冲洗管网' } });
  // Two turbidity alerts at the Big works: acknowledged after 20 min and cleared after 60; cleared after 120.
  const t1 = bj('2026-11-11T08:00:00');
  const t2 = bj('2026-11-12T08:00:00');
  const a1: Alert = {
    id: 'turb-1',
    ruleId: 'turbidity-max',
    kind: 'threshold',
    deviceId: 'dv-1',
    siteId: 'big-plant',
    schemeId: 's-big',
    countyId: 'c-a',
    severity: 'critical',
    active: true,
    acknowledged: false,
    raisedAt: iso(t1),
    message: 'turbidity',
  };
  const a2: Alert = { ...a1, id: 'turb-2', raisedAt: iso(t2) };
  const events: AlertEvent[] = [
    { type: 'raised', at: iso(t1), alert: a1 },
    {
      type: 'acknowledged',
      at: iso(t1 + 20 * 60_000),
      alert: {
        ...a1,
        acknowledged: true,
        acknowledgedAt: iso(t1 + 20 * 60_000),
        acknowledgedBy: 'ops-xiji',
        note: '排泥',
      },
    },
    {
      type: 'cleared',
      at: iso(t1 + 60 * 60_000),
      alert: { ...a1, active: false, clearedAt: iso(t1 + 60 * 60_000) },
    },
    { type: 'raised', at: iso(t2), alert: a2 },
    {
      type: 'cleared',
      at: iso(t2 + 120 * 60_000),
      alert: { ...a2, active: false, clearedAt: iso(t2 + 120 * 60_000) },
    },
  ];
  await f.store.appendAlertEvents(events);
  now = bj('2026-12-05T10:00:00');
});
afterEach(() => f.close());

async function xlsx(query: string): Promise<ExcelJS.Workbook> {
  const res = await f.app.request(`/api/v1/reports/monthly${query}`, {
    headers: { authorization: `Bearer ${apiKey('planner')}` },
  });
  expect(res.status, await res.clone().text()).toBe(200);
  expect(res.headers.get('content-type')).toBe(
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  );
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(await res.arrayBuffer());
  return wb;
}

const cells = (ws: ExcelJS.Worksheet, row: number) =>
  (ws.getRow(row).values as unknown[]).slice(1).map((v) => (v === undefined ? null : v));

describe('GET /api/v1/reports/monthly', () => {
  it('writes the region month as XLSX whose every cell matches an independent computation', async () => {
    const wb = await xlsx('?period=2026-11');
    const file = coverageRegistry();
    const people = file.villages.reduce((s, v) => s + v.population, 0);
    const withTap = file.villages.filter((v) => v.tap).reduce((s, v) => s + v.population, 0);
    const nov = ONLINE.filter((o) => o.inNov);
    const onlineOk = nov.reduce((s, o) => s + o.ok, 0);
    const onlineN = nov.reduce((s, o) => s + o.n, 0);
    const labOk = LAB.filter((s) => s.ok).length;

    const sum = wb.getWorksheet('概况')!;
    expect(cells(sum, 1)).toEqual(['Ningxia 2026-11 农村供水月报']);
    expect(cells(sum, 3)).toEqual(['统计区间', '2026-11-01 – 2026-11-30', '时区', 'Asia/Shanghai']);
    expect(cells(sum, 4)).toEqual(['农村人口', people]);
    expect(cells(sum, 5)).toEqual(['指标', '数值', '分子', '分母', '目标', '差距', '是否达标']);
    const t = file.targets;
    const row = (r: number) => cells(sum, r);
    expect(row(6)).toEqual([
      '农村自来水普及率',
      withTap / people,
      withTap,
      people,
      t.tapWaterRate,
      expect.closeTo(t.tapWaterRate - withTap / people, 12),
      withTap / people >= t.tapWaterRate ? '是' : '否',
    ]);
    expect(row(9)).toEqual([
      '水质达标率（在线监测）',
      onlineOk / onlineN,
      onlineOk,
      onlineN,
      t.qualityCompliance,
      expect.closeTo(t.qualityCompliance - onlineOk / onlineN, 12),
      '否',
    ]);
    expect(row(10)).toEqual([
      '水质达标率（实验室检测）',
      labOk / LAB.length,
      labOk,
      LAB.length,
      t.qualityCompliance,
      expect.closeTo(t.qualityCompliance - labOk / LAB.length, 12),
      '否',
    ]);
    // Nothing reported at the month's end: no device online.
    expect(row(11)).toEqual([
      '监测设备在线率',
      0,
      0,
      file.devices.length,
      t.monitoringOnline,
      t.monitoringOnline,
      '否',
    ]);
    // Safe: schemes judged on lab where they have it: s-big lab 1/1 safe (1000 people); s-pop lab 1/2 not.
    expect(row(12)).toEqual([
      '安全饮水覆盖率',
      1000 / people,
      1000,
      people,
      t.safeWaterCoverage,
      expect.closeTo(t.safeWaterCoverage - 1000 / people, 12),
      '否',
    ]);
    expect(sum.getCell('B6').numFmt).toBe('0.0%');

    const sch = wb.getWorksheet('工程水质')!;
    expect(cells(sch, 1)).toEqual([
      '供水工程',
      '工程编号',
      '县区',
      '水质达标率（实验室检测）',
      '化验样品数',
      '水质达标率（在线监测）',
      '监测设备在线率',
      '在线样品数',
      '未达标',
    ]);
    const scheme = (id: string) => {
      const labs = LAB.filter((s) => s.scheme === id);
      const dev =
        id === 's-big' ? ['dv-1', 'dv-2'] : id === 's-pop' ? ['dv-5'] : id === 's-int' ? ['dv-3'] : ['dv-4'];
      const on = nov.filter((o) => dev.includes(o.device));
      const onN = on.reduce((s, o) => s + o.n, 0);
      const labValue = labs.length ? labs.filter((s) => s.ok).length / labs.length : '无数据';
      const basis = labs.length ? labValue : onN ? on.reduce((s, o) => s + o.ok, 0) / onN : null;
      const s = file.schemes.find((x) => x.id === id)!;
      return [
        s.name,
        id,
        s.county,
        labValue,
        labs.length,
        onN ? on.reduce((a, o) => a + o.ok, 0) / onN : '无数据',
        0,
        onN,
        basis === null || (basis as number) < t.qualityCompliance ? '是' : '否',
      ];
    };
    expect([2, 3, 4, 5].map((r) => cells(sch, r))).toEqual(
      ['s-big', 's-int', 's-small', 's-pop'].map(scheme),
    );

    const al = wb.getWorksheet('告警')!;
    expect(cells(al, 1)).toEqual([
      '规则',
      '告警数',
      '已确认',
      '已解除',
      '确认用时中位数（分钟）',
      '解除用时中位数（分钟）',
    ]);
    // Never cleared: no median, an empty cell.
    expect(cells(al, 2)).toEqual(['lab-e-coli', 1, 1, 0, 30]);
    expect(al.getCell('F2').value).toBeNull();
    expect(cells(al, 3)).toEqual(['turbidity-max', 2, 1, 2, 20, (60 + 120) / 2]);
    expect(al.rowCount).toBe(3);

    const ac = wb.getWorksheet('处置记录')!;
    expect(ac.rowCount).toBe(2);
    expect(cells(ac, 2)).toEqual([
      's-pop',
      expect.stringMatching(/^lab-e-coli\./),
      'lab-e-coli',
      // Beijing wall-clock time of the sample that raised it.
      '2026-11-16 09:00',
      'demo-admin',
      '加氯消毒并冲洗管网',
    ]);
  });

  it('reports one county, in English when asked', async () => {
    const wb = await xlsx('?period=2026-11&county=c-c&lang=en');
    const sum = wb.getWorksheet('Summary')!;
    expect(cells(sum, 1)).toEqual(['Gamma 2026-11 Rural water supply monthly report']);
    expect(cells(sum, 4)).toEqual(['Rural population', 10000]);
    const sch = wb.getWorksheet('Schemes')!;
    expect(sch.rowCount).toBe(2);
    expect(cells(sch, 2)!.slice(0, 5)).toEqual(['Valley', 's-pop', 'c-c', 0.5, 2]);
    // Only the county's alerts: the turbidity alerts were at c-a.
    expect(wb.getWorksheet('Alerts')!.rowCount).toBe(2);
  });

  it('serves a printable page with the same figures, and scopes operators', async () => {
    const res = await f.call('/api/v1/reports/monthly?period=2026-11&format=html', { key: 'planner' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    const page = await res.text();
    expect(page).toContain('<h1>Ningxia 2026-11 农村供水月报</h1>');
    expect(page).toContain('加氯消毒并冲洗管网');
    expect(page).toContain('@page { size: A4');
    expect(
      (await f.call('/api/v1/reports/monthly?period=2026-11&format=html', { key: 'ops-xiji' })).status,
    ).toBe(403);
    expect(
      (await f.call('/api/v1/reports/monthly?period=2026-11&county=c-c', { key: 'ops-xiji' })).status,
    ).toBe(403);
    expect(
      (await f.call('/api/v1/reports/monthly?period=2026-11&county=c-a&format=json', { key: 'ops-xiji' }))
        .status,
    ).toBe(200);
    const bad = await f.call('/api/v1/reports/monthly?period=2026-Q4', { key: 'planner' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { param: string }).param).toBe('period');
    expect((await f.call('/api/v1/reports/monthly?period=2027-01', { key: 'planner' })).status).toBe(400);
  });
});
