/** `npm run import:samples FILE` against a listening API: good rows stored, bad rows printed by row and column. */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HttpListening, listenHttp } from '../../api/serve.js';
import { importSamples } from '../../bin/import-samples.js';
import { type ApiFixture, createFixture } from '../api/fixture.js';
import { apiKey } from '../helpers/small-registry.js';

const run = promisify(execFile);
let f: ApiFixture;
let http: HttpListening;
let url: string;
const dir = mkdtempSync(join(tmpdir(), 'wl-import-'));

beforeAll(async () => {
  f = createFixture({ clock: () => Date.parse('2026-11-20T00:00:00Z') });
  http = await listenHttp(f.app, 0, '127.0.0.1');
  url = `http://127.0.0.1:${http.port}`;
});
afterAll(async () => {
  await http.close();
  f.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('import:samples', () => {
  it('stores the good rows of an XLSX file and prints each bad row by row and column', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('检测结果');
    ws.addRow(['站点', '采样时间', '检测机构', '浑浊度', '游离氯', '菌落总数']);
    ws.addRow(['xiji-s1-p1', '2026-11-02 08:00', '西吉县水质检测中心', 0.5, 0.3, 20]);
    ws.addRow(['xiji-s1-p1', '2026-11-02 25:00', '西吉县水质检测中心', 0.5, 0.3, 20]);
    ws.addRow(['longde-w1-plant', '2026-11-02 09:00', '隆德县水质检测中心', 1.8, 0.1, 600]);
    const file = join(dir, 'results.xlsx');
    await wb.xlsx.writeFile(file);

    const lines: string[] = [];
    const code = await importSamples({ file, url, key: apiKey('demo-admin'), print: (l) => lines.push(l) });
    expect(code).toBe(1);
    expect(lines).toContain(
      'row 3, column 采样时间: "2026-11-02 25:00" is not a time (YYYY-MM-DD HH:MM, or RFC 3339)',
    );
    expect(lines).toContain('row 2: xiji-s1-p1 2026-11-02T00:00:00.000Z compliant');
    // Small scheme: turbidity 1.8 within 3 NTU; plant chlorine 0.1 below 0.3; plate count 600 above 500.
    expect(lines).toContain('row 4: longde-w1-plant 2026-11-02T01:00:00.000Z fails chlorine, plate-count');
    expect(lines.at(-1)).toBe('2 sample(s) stored, 1 problem(s)');
    const stored = await f.store.querySamples({ from: 0, to: Date.now(), limit: 10 });
    expect(stored.map((s) => s.siteId).sort()).toEqual(['longde-w1-plant', 'xiji-s1-p1']);
  });

  it('runs as an npm script with the key from the environment and exits 2 when nothing is stored', async () => {
    const file = join(dir, 'bad.csv');
    writeFileSync(file, 'site,sampledAt,lab,ph\r\nxiji-s1-p1,yesterday,lab,7\r\n');
    const res = await run('npx', ['tsx', 'bin/import-samples.ts', file, '--url', url], {
      env: { ...process.env, WATERLINE_KEY: apiKey('demo-admin') },
    }).catch((e: { code: number; stdout: string }) => e);
    expect(res).toMatchObject({ code: 2 });
    expect((res as { stdout: string }).stdout).toContain('row 2, column sampledAt:');
  });
});
