/**
 * `npm run import:samples FILE`: sends a lab's CSV or XLSX file to the API's POST /api/v1/samples, where
 * it is read, judged and stored exactly as a page upload is, and prints the report: each bad row by row
 * and column, what was stored, the lab alerts raised or cleared. Exit 0 when every row was stored, 1 when
 * some rows were refused, 2 when nothing was stored or the call failed.
 */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parseArgs } from 'node:util';

export interface ImportOptions {
  file: string;
  url: string;
  key: string;
  print: (line: string) => void;
}

interface Report {
  stored: number;
  samples: { row: number; siteId: string; sampledAt: string; compliant: boolean; failed: string[] }[];
  errors: { row: number; column: string; detail: string }[];
  alerts: { type: string; id: string }[];
}

const TYPES: Record<string, string> = {
  '.csv': 'text/csv',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

export async function importSamples(o: ImportOptions): Promise<number> {
  const type = TYPES[extname(o.file).toLowerCase()];
  if (!type) {
    o.print(`${o.file}: not a .csv or .xlsx file`);
    return 2;
  }
  const body = await readFile(o.file);
  const res = await fetch(`${o.url.replace(/\/+$/, '')}/api/v1/samples`, {
    method: 'POST',
    headers: { authorization: `Bearer ${o.key}`, 'content-type': type },
    body,
  });
  const json = (await res.json()) as Partial<Report> & { detail?: string; rows?: Report['errors'] };
  const errors = json.errors ?? json.rows ?? [];
  for (const e of errors) o.print(`row ${e.row}, column ${e.column}: ${e.detail}`);
  if (!res.ok) {
    o.print(`nothing stored: ${res.status} ${json.detail ?? ''}`.trim());
    return 2;
  }
  for (const s of json.samples ?? [])
    o.print(
      `row ${s.row}: ${s.siteId} ${s.sampledAt} ${s.compliant ? 'compliant' : `fails ${s.failed.join(', ')}`}`,
    );
  for (const a of json.alerts ?? []) o.print(`alert ${a.type}: ${a.id}`);
  o.print(`${json.stored ?? 0} sample(s) stored, ${errors.length} problem(s)`);
  return errors.length > 0 ? 1 : 0;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { url: { type: 'string' }, key: { type: 'string' } },
  });
  const url = values.url ?? process.env.WATERLINE_URL ?? `http://127.0.0.1:${process.env.HTTP_PORT ?? 3000}`;
  const key = values.key ?? process.env.WATERLINE_KEY;
  const file = positionals[0];
  if (!file || !key || positionals.length > 1) {
    console.error(
      'usage: npm run import:samples FILE.csv|FILE.xlsx -- [--url URL] [--key KEY] (or WATERLINE_URL, WATERLINE_KEY)',
    );
    process.exit(2);
  }
  importSamples({ file, url, key, print: (l) => console.log(l) }).then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error(`import failed: ${(e as Error).message}`);
      process.exit(2);
    },
  );
}
