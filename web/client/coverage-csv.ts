/**
 * The coverage CSV the page downloads: headers in the reader's language and indicators as percentages,
 * for a person opening it in a spreadsheet (the API's `format=csv` stays machine-friendly).
 */
import { isMessageKey } from '../i18n.js';
import { t } from './locale.js';

interface Indicator {
  value: number | null;
  numerator: number;
  denominator: number;
  target: number;
}
export interface CsvRow {
  id: string;
  name: string;
  ruralPopulation: number;
  indicators: Record<string, Indicator>;
}

/** "87.3%": one decimal, the precision the 2027 targets are stated in. */
const pct = (v: number | null) => (v === null ? '' : `${(Math.round(v * 1000) / 10).toFixed(1)}%`);

/** RFC 4180 quoting, and a leading = + - @ defused so a spreadsheet never runs a name as a formula (OWASP). */
function text(s: string): string {
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function readableCsv(rows: readonly CsvRow[], names: readonly string[]): string {
  const label = (n: string) =>
    isMessageKey(`indicator.${n}`) ? t(`indicator.${n}` as 'indicator.tapWaterRate') : n;
  const header = [
    t('csv.id'),
    t('coverage.name'),
    t('coverage.population'),
    ...names.flatMap((n) => [
      label(n),
      t('csv.target', { name: label(n) }),
      t('csv.parts', { name: label(n) }),
    ]),
  ];
  const lines = [header.map(text).join(',')];
  for (const r of rows) {
    const cells = [text(r.id), text(r.name), String(r.ruralPopulation)];
    for (const n of names) {
      const i = r.indicators[n];
      cells.push(pct(i?.value ?? null), i ? pct(i.target) : '', i ? `${i.numerator}/${i.denominator}` : '');
    }
    lines.push(cells.join(','));
  }
  // A byte-order mark, or Excel reads UTF-8 as the local code page and garbles the Chinese headers.
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
