/** The monthly report as an XLSX workbook (exceljs): one sheet each for the summary, schemes, alerts and actions. */
import ExcelJS from 'exceljs';
import type { Indicator } from '../core/coverage/indicator.js';
import { INDICATOR_NAMES } from '../core/coverage/indicator.js';
import { INDICATOR_LABELS, label, type ReportLang } from '../core/report/labels.js';
import type { MonthlyReport } from '../core/report/monthly.js';
import { localDate, localDateTime } from '../core/time-zone.js';

const PERCENT = '0.0%';

function header(ws: ExcelJS.Worksheet, cells: string[]): void {
  const row = ws.addRow(cells);
  row.font = { bold: true };
  ws.columns.forEach((c, i) => {
    c.width = Math.max(12, Math.min(40, (cells[i]?.length ?? 10) * 2));
  });
}

/** A ratio as a number formatted as a percentage, or the words for "no data" (never a false 0 %). */
function ratio(row: ExcelJS.Row, col: number, i: Indicator, lang: ReportLang): void {
  const cell = row.getCell(col);
  if (i.value === null) cell.value = label('noData', lang);
  else {
    cell.value = i.value;
    cell.numFmt = PERCENT;
  }
}

export async function monthlyReportXlsx(r: MonthlyReport, lang: ReportLang): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'waterline';

  const sum = wb.addWorksheet(label('sheetSummary', lang));
  sum.addRow([`${r.place.name} ${r.period} ${label('title', lang)}`]).font = { bold: true, size: 14 };
  sum.addRow([label('period', lang), r.period]);
  sum.addRow([
    label('window', lang),
    `${localDate(r.window.from, r.timeZone)} – ${localDate(r.window.to, r.timeZone)}`,
    label('timeZone', lang),
    r.timeZone,
  ]);
  sum.addRow([label('ruralPopulation', lang), r.coverage.ruralPopulation]);
  header(
    sum,
    (['indicator', 'value', 'numerator', 'denominator', 'target', 'gap', 'meets'] as const).map((k) =>
      label(k, lang),
    ),
  );
  for (const n of INDICATOR_NAMES) {
    const i = r.coverage.indicators[n];
    const row = sum.addRow([INDICATOR_LABELS[n][lang], null, i.numerator, i.denominator, i.target, i.gap]);
    ratio(row, 2, i, lang);
    row.getCell(5).numFmt = PERCENT;
    if (i.gap !== null) row.getCell(6).numFmt = PERCENT;
    row.getCell(7).value =
      i.value === null ? label('noData', lang) : i.value >= i.target ? label('yes', lang) : label('no', lang);
  }

  const sch = wb.addWorksheet(label('sheetSchemes', lang));
  header(sch, [
    label('scheme', lang),
    label('schemeId', lang),
    label('county', lang),
    INDICATOR_LABELS.labCompliance[lang],
    label('labSamples', lang),
    INDICATOR_LABELS.qualityCompliance[lang],
    INDICATOR_LABELS.monitoringOnline[lang],
    label('onlineSamples', lang),
    label('failed', lang),
  ]);
  for (const s of r.schemes) {
    const row = sch.addRow([
      s.name,
      s.id,
      s.countyId,
      null,
      s.labCompliance.denominator,
      null,
      null,
      s.qualityCompliance.denominator,
    ]);
    ratio(row, 4, s.labCompliance, lang);
    ratio(row, 6, s.qualityCompliance, lang);
    ratio(row, 7, s.monitoringOnline, lang);
    row.getCell(9).value = s.failed ? label('yes', lang) : label('no', lang);
  }

  const al = wb.addWorksheet(label('sheetAlerts', lang));
  header(
    al,
    (['rule', 'raised', 'acknowledged', 'cleared', 'medianAck', 'medianClear'] as const).map((k) =>
      label(k, lang),
    ),
  );
  for (const l of r.rules)
    al.addRow([l.ruleId, l.raised, l.acknowledged, l.cleared, l.medianAckMinutes, l.medianClearMinutes]);

  const ac = wb.addWorksheet(label('sheetActions', lang));
  header(
    ac,
    (['schemeId', 'alert', 'rule', 'raisedAt', 'by', 'note'] as const).map((k) => label(k, lang)),
  );
  for (const a of r.actions)
    ac.addRow([
      a.schemeId,
      a.alertId,
      a.ruleId,
      localDateTime(Date.parse(a.raisedAt), r.timeZone),
      a.acknowledgedBy ?? '',
      a.note ?? '',
    ]);

  return new Uint8Array(await wb.xlsx.writeBuffer());
}
