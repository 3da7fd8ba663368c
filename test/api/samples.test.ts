/** Lab samples through the API: judged against GB 5749-2022, stored, scoped, imported from CSV and XLSX, raising and clearing lab alerts. */
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ApiFixture, createFixture } from './fixture.js';

const NOW = Date.parse('2026-11-20T04:00:00Z');
let f: ApiFixture;
beforeEach(() => {
  f = createFixture({ clock: () => NOW });
});
afterEach(() => f.close());

const post = (body: unknown, key?: string) => f.call('/api/v1/samples', { method: 'POST', body, key });

async function postFile(bytes: Uint8Array | string, type: string, key = 'demo-admin'): Promise<Response> {
  const { apiKey } = await import('../helpers/small-registry.js');
  return f.app.request('/api/v1/samples', {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey(key)}`, 'content-type': type },
    body: typeof bytes === 'string' ? bytes : new Blob([bytes as Uint8Array<ArrayBuffer>]),
  });
}

describe('POST /api/v1/samples', () => {
  it('judges each value against its limit and the sample as a whole, and stores it', async () => {
    const res = await post({
      site: 'xiji-s1-p1',
      sampledAt: '2026-11-03T09:30:00+08:00',
      lab: '西吉县疾控中心',
      values: { turbidity: 0.4, 'e-coli': 0, nitrate: 12 },
    });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.stored).toBe(1);
    const s = body.samples[0];
    expect(s).toMatchObject({
      siteId: 'xiji-s1-p1',
      schemeId: 'xiji-s1',
      countyId: 'xiji',
      compliant: false,
      failed: ['nitrate'],
    });
    expect(s.sampledAt).toBe('2026-11-03T01:30:00.000Z');
    const nitrate = s.verdicts.find((v: { indicator: string }) => v.indicator === 'nitrate');
    expect(nitrate).toMatchObject({ pass: false, limit: '≤ 10 mg/L' });
    expect(nitrate.cite).toContain('表1 第11行');
    const list = await (await f.call('/api/v1/samples?from=2026-11-01T00:00:00Z')).json();
    expect(list.items.map((x: { id: string }) => x.id)).toEqual([s.id]);
  });

  it('applies the small-supply limits at a small scheme and the scale limits elsewhere', async () => {
    const values = { turbidity: 2.5, fluoride: 1.1 };
    const at = '2026-11-03T09:30:00+08:00';
    const small = await (await post({ site: 'longde-w1-plant', sampledAt: at, lab: 'lab', values })).json();
    const scale = await (await post({ site: 'xiji-s1-p1', sampledAt: at, lab: 'lab', values })).json();
    expect(small.samples[0]).toMatchObject({ compliant: true, failed: [] });
    expect(scale.samples[0]).toMatchObject({ compliant: false, failed: ['turbidity', 'fluoride'] });
  });

  it('raises a lab alert for a failing value and clears it with the next passing sample of that site and indicator', async () => {
    const fail = await (
      await post({
        site: 'xiji-s1-plant',
        sampledAt: '2026-11-03T09:00:00+08:00',
        lab: 'lab',
        values: { 'e-coli': 3, ph: 7 },
      })
    ).json();
    expect(fail.alerts).toEqual([{ type: 'raised', id: expect.any(String), ruleId: 'lab-e-coli' }]);
    const active = await (await f.call('/api/v1/alerts?active=true')).json();
    expect(active.items).toHaveLength(1);
    expect(active.items[0]).toMatchObject({
      ruleId: 'lab-e-coli',
      kind: 'lab',
      siteId: 'xiji-s1-plant',
      countyId: 'xiji',
      severity: 'critical',
      value: 3,
      limit: 0,
    });
    expect(f.published.map((e) => e.type)).toEqual(['raised']);

    // A second failing sample does not raise twice; an older passing report does not clear.
    await post({
      site: 'xiji-s1-plant',
      sampledAt: '2026-11-04T09:00:00+08:00',
      lab: 'lab',
      values: { 'e-coli': 1 },
    });
    await post({
      site: 'xiji-s1-plant',
      sampledAt: '2026-11-01T09:00:00+08:00',
      lab: 'lab',
      values: { 'e-coli': 0 },
    });
    expect((await (await f.call('/api/v1/alerts?active=true')).json()).items).toHaveLength(1);

    const pass = await (
      await post({
        site: 'xiji-s1-plant',
        sampledAt: '2026-11-10T09:00:00+08:00',
        lab: 'lab',
        values: { 'e-coli': 0 },
      })
    ).json();
    expect(pass.alerts).toEqual([{ type: 'cleared', id: fail.alerts[0].id, ruleId: 'lab-e-coli' }]);
    expect((await (await f.call('/api/v1/alerts?active=true')).json()).items).toHaveLength(0);
    expect(f.published.map((e) => e.type)).toEqual(['raised', 'cleared']);
  });

  it('answers 400 naming the field for a single bad sample, and stores nothing', async () => {
    const res = await post({
      site: 'xiji-s1-p1',
      sampledAt: '2026-11-03 09:30',
      lab: 'lab',
      values: { turbidity: -1 },
    });
    expect(res.status).toBe(400);
    const p = await res.json();
    expect(['sampledAt', 'values.turbidity']).toContain(p.param);
    expect(p.errors.map((e: { param: string }) => e.param).sort()).toEqual(['sampledAt', 'values.turbidity']);
    const unknown = await (
      await post({ site: 'xiji-s1-p1', sampledAt: NOW, lab: 'lab', values: { radon: 1 } })
    ).json();
    expect(unknown.param).toBe('values.radon');
    expect((await (await f.call('/api/v1/samples?from=0')).json()).items).toEqual([]);
  });

  it('keeps the good samples of a batch and reports the bad ones by index and field', async () => {
    const res = await post({
      samples: [
        { site: 'xiji-s1-p1', sampledAt: NOW - 1000, lab: 'lab', values: { ph: 7.2 } },
        { site: 'nowhere', sampledAt: NOW - 1000, lab: 'lab', values: { ph: 7.2 } },
        { site: 'xiji-s1-src', sampledAt: NOW - 1000, lab: 'lab', values: { ph: 7.2 } },
        { site: 'xiji-s1-p1', sampledAt: NOW - 2000, lab: 'lab', values: { ph: 'seven' } },
      ],
    });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.stored).toBe(1);
    expect(body.errors.map((e: { row: number; column: string }) => [e.row, e.column])).toEqual([
      [1, 'site'],
      [2, 'site'],
      [3, 'values.ph'],
    ]);
  });

  it('refuses viewers, and operators for a site of another county, storing nothing', async () => {
    const sample = { site: 'longde-w1-plant', sampledAt: NOW, lab: 'lab', values: { ph: 7 } };
    expect((await post(sample, 'planner')).status).toBe(403);
    expect((await post(sample, 'ops-xiji')).status).toBe(403);
    expect((await post({ ...sample, site: 'xiji-s1-p1' }, 'ops-xiji')).status).toBe(200);
    expect((await (await f.call('/api/v1/samples?from=0')).json()).items).toHaveLength(1);
  });
});

describe('GET /api/v1/samples', () => {
  it('shows an operator only the samples of its counties and refuses another county by name', async () => {
    await post({
      samples: [
        { site: 'xiji-s1-p1', sampledAt: NOW - 1000, lab: 'lab', values: { ph: 7 } },
        { site: 'longde-w1-plant', sampledAt: NOW - 2000, lab: 'lab', values: { ph: 7 } },
      ],
    });
    const mine = await (await f.call('/api/v1/samples', { key: 'ops-xiji' })).json();
    expect(mine.items.map((s: { countyId: string }) => s.countyId)).toEqual(['xiji']);
    expect((await f.call('/api/v1/samples?county=longde', { key: 'ops-xiji' })).status).toBe(403);
    const all = await (await f.call('/api/v1/samples', { key: 'planner' })).json();
    expect(all.items).toHaveLength(2);
    const bad = await f.call('/api/v1/samples?limit=0');
    expect(bad.status).toBe(400);
    expect((await bad.json()).param).toBe('limit');
  });
});

describe('importing a lab file', () => {
  it('reads a CSV with Chinese headers, keeps the good rows and reports the bad ones by row and column', async () => {
    const csv = [
      '站点,采样时间,检测机构,浑浊度（NTU）,pH,大肠埃希氏菌,硝酸盐（以N计）,备注',
      'xiji-s1-p1,2026-11-03 09:30,西吉县疾控中心,0.6,7.4,未检出,6,',
      'xiji-s1-p1,2026-11-31 09:30,西吉县疾控中心,0.6,7.4,未检出,6,',
      'longde-w1-plant,2026-11-04 10:00,隆德县疾控中心,abc,7.1,0,4,',
      'longde-w1-plant,2026-11-05 10:00,隆德县疾控中心,2.4,7.1,0,4,复检',
      'no-site,2026-11-05 10:00,lab,1,7,0,1,',
    ].join('\r\n');
    const res = await postFile(`\uFEFF${csv}\r\n`, 'text/csv');
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.errors).toEqual([
      { row: 3, column: '采样时间', detail: expect.stringContaining('not a time') },
      { row: 4, column: '浑浊度（NTU）', detail: expect.stringContaining('not a number') },
      { row: 6, column: 'site', detail: 'no site "no-site" in the registry' },
    ]);
    expect(
      body.samples.map((s: { row: number; sampledAt: string; compliant: boolean }) => [
        s.row,
        s.sampledAt,
        s.compliant,
      ]),
    ).toEqual([
      [2, '2026-11-03T01:30:00.000Z', true],
      [5, '2026-11-05T02:00:00.000Z', true],
    ]);
    expect(body.samples[1]).toMatchObject({
      note: '复检',
      values: { turbidity: 2.4, ph: 7.1, 'e-coli': 0, nitrate: 4 },
    });
  });

  it('reads an XLSX workbook with date cells as wall-clock time in the region zone', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('水质检测');
    ws.addRow(['site', 'sampledAt', 'lab', 'turbidity', 'chlorine', 'arsenic']);
    ws.addRow(['xiji-s1-plant', new Date(Date.UTC(2026, 10, 3, 9, 30)), 'lab', 0.3, 0.25, 0.002]);
    ws.addRow(['xiji-s1-p1', '2026-11-03T10:00:00+08:00', 'lab', 0.3, 0.25, 'x']);
    const bytes = new Uint8Array(await wb.xlsx.writeBuffer());
    const body = await (
      await postFile(bytes, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
    ).json();
    expect(body.errors).toEqual([
      { row: 3, column: 'arsenic', detail: expect.stringContaining('not a number') },
    ]);
    // 0.25 mg/L free chlorine is below the 0.3 mg/L the plant outlet needs (表2).
    expect(body.samples[0]).toMatchObject({
      row: 2,
      sampledAt: '2026-11-03T01:30:00.000Z',
      failed: ['chlorine'],
    });
  });

  it('answers 400 for a file with no usable row and for bytes that are no workbook', async () => {
    const none = await postFile('site,sampledAt,lab,turbidity\r\nxiji-s1-p1,never,lab,1\r\n', 'text/csv');
    expect(none.status).toBe(400);
    expect((await none.json()).rows).toEqual([{ row: 2, column: 'sampledAt', detail: expect.any(String) }]);
    const missing = await postFile('site,lab,colour\r\n', 'text/csv');
    expect((await missing.json()).rows).toEqual([
      { row: 1, column: 'sampledAt', detail: 'no sampledAt column' },
    ]);
    const junk = await postFile(
      new Uint8Array([1, 2, 3, 4]),
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(junk.status).toBe(400);
    expect((await junk.json()).param).toBe('body');
  });

  it('takes a lab file larger than the 64 KiB other bodies are held to, and reports its bad rows', async () => {
    // About 200 KiB: over the API's general body limit, well under the 5 MiB of a lab file.
    const rows = 'xiji-s1-p1,never,lab,7\r\n'.repeat(9_000);
    const res = await postFile(`site,sampledAt,lab,ph\r\n${rows}`, 'text/csv');
    expect(res.status).not.toBe(413);
    const body = (await res.json()) as { rows?: unknown[] };
    expect(body.rows?.length).toBeGreaterThan(0);
  });

  it('refuses a file over 5 MiB with 413, before reading it', async () => {
    const big = `site,sampledAt,lab,ph\r\n${'xiji-s1-p1,2026-11-03 09:30,lab,7\r\n'.repeat(200_000)}`;
    const res = await postFile(big, 'text/csv');
    expect(res.status).toBe(413);
    expect((await res.json()).param).toBe('body');
    expect((await (await f.call('/api/v1/samples?from=0')).json()).items).toEqual([]);
  });

  it('answers 415 for a body that is neither JSON nor a lab file', async () => {
    const res = await postFile('<xml/>', 'application/xml');
    expect(res.status).toBe(415);
  });
});
