/** Reading a lab's CSV or XLSX file into rows of cells with exceljs; what the rows mean is core/lab/table-rows.ts. */
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { Cell } from '../core/lab/table-rows.js';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Thrown when the bytes are not a readable workbook or CSV; the route answers 400. */
export class UnreadableFileError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'UnreadableFileError';
  }
}

/** A cell as exceljs holds it (rich text, formula results, hyperlinks) flattened to a plain value. */
function plain(v: ExcelJS.CellValue): Cell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v instanceof Date) return v;
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((t) => t.text).join('');
    if ('result' in v) return plain(v.result as ExcelJS.CellValue);
    if ('text' in v) return String(v.text);
    if ('error' in v) return null;
  }
  return null;
}

function rowsOf(ws: ExcelJS.Worksheet): Cell[][] {
  const rows: Cell[][] = [];
  for (let r = 1; r <= ws.rowCount; r++) {
    const values = ws.getRow(r).values;
    rows.push(Array.isArray(values) ? values.slice(1).map((v) => plain(v as ExcelJS.CellValue)) : []);
  }
  return rows;
}

/** The first worksheet of an XLSX file, or the rows of a CSV file, as cells (CSV cells stay text). */
export async function readSampleFile(bytes: Uint8Array, kind: 'csv' | 'xlsx'): Promise<Cell[][]> {
  const wb = new ExcelJS.Workbook();
  try {
    if (kind === 'xlsx') {
      await wb.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
      const ws = wb.worksheets[0];
      if (!ws) throw new UnreadableFileError('the workbook has no worksheet');
      return rowsOf(ws);
    }
    // Text stays text: exceljs would otherwise read "2026-11-03" as midnight in the server's zone.
    const ws = await wb.csv.read(Readable.from([Buffer.from(bytes)]), {
      map: (d: string) => (d === '' ? null : d),
    } as never);
    return rowsOf(ws);
  } catch (e) {
    if (e instanceof UnreadableFileError) throw e;
    throw new UnreadableFileError(`cannot read the ${kind.toUpperCase()} file: ${(e as Error).message}`, {
      cause: e,
    });
  }
}
