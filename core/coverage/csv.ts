/** Coverage rows as CSV for spreadsheets: RFC 4180, one line per row, every indicator's parts as columns. */
import type { CoverageRow } from './compute.js';
import { INDICATOR_NAMES } from './indicator.js';

const PARTS = ['value', 'numerator', 'denominator', 'target', 'gap'] as const;

export const CSV_HEADER = [
  'id',
  'name',
  'ruralPopulation',
  ...INDICATOR_NAMES.flatMap((n) => PARTS.map((p) => `${n}.${p}`)),
];

/**
 * Quotes a text field when RFC 4180 §2 requires it, and defuses a leading = + - @ so a spreadsheet
 * never runs a registry name as a formula (OWASP "CSV injection").
 */
function text(s: string): string {
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

const num = (n: number | null) => (n === null ? '' : String(n));

/**
 * A UTF-8 byte-order mark leads the text: without it Excel reads UTF-8 as the local code page and
 * garbles Chinese county names. RFC 4180 lines end with CRLF.
 */
export function coverageCsv(rows: readonly CoverageRow[]): string {
  const lines = [CSV_HEADER.join(',')];
  for (const r of rows) {
    const cells = [text(r.id), text(r.name), String(r.ruralPopulation)];
    for (const n of INDICATOR_NAMES) {
      const i = r.indicators[n];
      cells.push(num(i.value), num(i.numerator), num(i.denominator), num(i.target), num(i.gap));
    }
    lines.push(cells.join(','));
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
