/**
 * Lab results from a spreadsheet (CSV or XLSX, read at the edge): the header names the columns, each
 * later row is one sample. Bad cells are reported by row and column; good rows are kept (a lab's file
 * with one typo must not lose the other results).
 */
import type { z } from 'zod';
import { type WallTime, zonedToUtc } from '../time-zone.js';
import { LAB_INDICATORS } from './limits.js';
import { LabSampleInput } from './sample.js';

/** A cell as a reader gives it: text, a number, a Date (an XLSX date cell), or nothing. */
export type Cell = string | number | boolean | Date | null | undefined;

export interface CellError {
  /** Spreadsheet row number: the header is row 1. */
  row: number;
  /** The column's header text as in the file, or the field when the column is missing. */
  column: string;
  detail: string;
}

export interface TableSamples {
  samples: { row: number; input: LabSampleInput }[];
  errors: CellError[];
}

/** Header texts each field answers to (lower-cased, spaces and brackets with units removed). */
const FIELD_HEADERS: Record<'site' | 'sampledAt' | 'lab' | 'note', string[]> = {
  site: ['site', '站点', '采样点', '采样地点'],
  sampledAt: ['sampledat', '采样时间', '采样日期'],
  lab: ['lab', '检测机构', '检测单位', '实验室'],
  note: ['note', '备注'],
};

const norm = (h: string) =>
  h
    .trim()
    .toLowerCase()
    .replace(/[（(].*?[)）]/g, '')
    .replace(/[\s_]/g, '');

function columnFor(header: string): string | undefined {
  const h = norm(header);
  for (const [field, names] of Object.entries(FIELD_HEADERS)) if (names.includes(h)) return field;
  for (const i of LAB_INDICATORS)
    if (h === i.id || h === norm(i.nameZh) || h === norm(i.nameEn) || h === i.id.replace(/-/g, ''))
      return `v:${i.id}`;
  return undefined;
}

/** 不应检出 / 无 / none / ND read as 0, 有 / present as 1 (core/lab/limits.ts `absent`). */
const ZERO = new Set(['无', '未检出', '不得检出', '不应检出', 'nd', 'none', 'not detected', '<dl']);
const ONE = new Set(['有', 'present', 'detected']);

function number(cell: Cell): number | null | 'blank' {
  if (cell === null || cell === undefined || cell === '') return 'blank';
  if (typeof cell === 'number') return Number.isFinite(cell) ? cell : null;
  if (typeof cell !== 'string') return null;
  const t = cell.trim().toLowerCase();
  if (t === '') return 'blank';
  if (ZERO.has(t)) return 0;
  if (ONE.has(t)) return 1;
  return /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/.test(t) ? Number(t) : null;
}

/**
 * A sampling time: RFC 3339 with offset, epoch ms, a Date from an XLSX cell, or `YYYY-MM-DD[ HH:MM[:SS]]`
 * without offset, read as wall-clock time in the region's zone (how a lab writes it). An XLSX date cell
 * has no zone either: its fields are wall-clock time, so it is read the same way.
 */
export function sampledAt(cell: Cell, zone: string): number | null {
  if (cell instanceof Date) {
    const t = cell.getTime();
    if (!Number.isFinite(t)) return null;
    const w: WallTime = {
      year: cell.getUTCFullYear(),
      month: cell.getUTCMonth() + 1,
      day: cell.getUTCDate(),
      hour: cell.getUTCHours(),
      minute: cell.getUTCMinutes(),
      second: cell.getUTCSeconds(),
    };
    return zonedToUtc(w, zone);
  }
  if (typeof cell === 'number') return Number.isInteger(cell) && cell > 0 ? cell : null;
  if (typeof cell !== 'string') return null;
  const t = cell.trim();
  const local = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(t);
  if (local) {
    const [y, mo, d, h, mi, s] = local.slice(1).map((x) => Number(x ?? 0)) as number[] as [
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    const check = new Date(Date.UTC(y, mo - 1, d));
    if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59 || s > 59)
      return null;
    return zonedToUtc({ year: y, month: mo, day: d, hour: h, minute: mi, second: s }, zone);
  }
  const ms = Date.parse(t);
  return /[zZ]|[+-]\d{2}:\d{2}$/.test(t) && Number.isFinite(ms) ? ms : null;
}

const text = (c: Cell): string =>
  c === null || c === undefined ? '' : c instanceof Date ? c.toISOString() : String(c).trim();

/** Rows of cells, the first the header, as samples and cell errors. */
export function samplesFromTable(rows: readonly (readonly Cell[])[], zone: string): TableSamples {
  const out: TableSamples = { samples: [], errors: [] };
  const header = (rows[0] ?? []).map(text);
  const cols = header.map(columnFor);
  for (const [i, h] of header.entries())
    if (h !== '' && cols[i] === undefined)
      out.errors.push({
        row: 1,
        column: h,
        detail: 'unknown column: not a sample field nor a GB 5749-2022 indicator',
      });
  for (const field of ['site', 'sampledAt', 'lab'])
    if (!cols.includes(field)) out.errors.push({ row: 1, column: field, detail: `no ${field} column` });
  if (out.errors.some((e) => e.row === 1 && e.detail.startsWith('no '))) return out;

  for (let r = 1; r < rows.length; r++) {
    const cells = rows[r] ?? [];
    if (cells.every((c) => text(c) === '')) continue;
    const rowNo = r + 1;
    const errors: CellError[] = [];
    const raw: Record<string, unknown> = { values: {} };
    const values = raw.values as Record<string, number>;
    for (const [i, col] of cols.entries()) {
      if (col === undefined) continue;
      const cell = cells[i];
      const column = header[i]!;
      if (col.startsWith('v:')) {
        const n = number(cell);
        if (n === 'blank') continue;
        if (n === null)
          errors.push({ row: rowNo, column, detail: `"${text(cell).slice(0, 40)}" is not a number` });
        else values[col.slice(2)] = n;
      } else if (col === 'sampledAt') {
        const ms = sampledAt(cell, zone);
        if (ms === null)
          errors.push({
            row: rowNo,
            column,
            detail: `"${text(cell).slice(0, 40)}" is not a time (YYYY-MM-DD HH:MM, or RFC 3339)`,
          });
        else raw.sampledAt = ms;
      } else if (text(cell) !== '') raw[col] = text(cell);
    }
    if (errors.length === 0) {
      const parsed = LabSampleInput.safeParse(raw);
      if (parsed.success) out.samples.push({ row: rowNo, input: parsed.data });
      else errors.push(...issuesAsCells(parsed.error, rowNo, header, cols));
    }
    out.errors.push(...errors);
  }
  return out;
}

function issuesAsCells(
  error: z.ZodError,
  row: number,
  header: string[],
  cols: (string | undefined)[],
): CellError[] {
  return error.issues.map((iss) => {
    const [first, second] = iss.path.map(String);
    const col = first === 'values' && second !== undefined ? `v:${second}` : first;
    const at = cols.indexOf(col);
    const column = at >= 0 ? header[at]! : (first ?? 'row');
    const detail = iss.code === 'invalid_type' && iss.input === undefined ? 'is required' : iss.message;
    return { row, column, detail };
  });
}
