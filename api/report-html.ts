/** The monthly report as a printable HTML page (A4, print styles, no script): the same content as the XLSX. */
import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { Indicator } from '../core/coverage/indicator.js';
import { INDICATOR_NAMES } from '../core/coverage/indicator.js';
import { INDICATOR_LABELS, label, type ReportLang } from '../core/report/labels.js';
import type { MonthlyReport } from '../core/report/monthly.js';
import { localDate, localDateTime } from '../core/time-zone.js';

const pct = (i: Indicator, lang: ReportLang): string =>
  i.value === null ? label('noData', lang) : `${(i.value * 100).toFixed(1)} %`;

const STYLE = `
  @page { size: A4; margin: 16mm 14mm; }
  body { font: 11pt/1.45 "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif; color: #111; margin: 0 auto; max-width: 190mm; padding: 8mm 0; }
  h1 { font-size: 17pt; margin: 0 0 2mm; }
  h2 { font-size: 12.5pt; margin: 7mm 0 2mm; border-bottom: 1.5px solid #333; padding-bottom: 1mm; }
  .meta { color: #444; margin: 0; }
  table { border-collapse: collapse; width: 100%; font-size: 9.5pt; break-inside: auto; }
  th, td { border: 1px solid #999; padding: 1.2mm 2mm; text-align: left; vertical-align: top; }
  th { background: #eef1f4; }
  td.num { text-align: right; font-variant-numeric: tabular-nums; }
  tr { break-inside: avoid; }
  .fail { color: #a40000; font-weight: 600; }
  .ok { color: #0b6b2b; }
  .nodata { color: #666; font-style: italic; }
  .sign { margin-top: 12mm; display: flex; gap: 30mm; }
  @media print { .noprint { display: none; } }
`;

function standing(i: Indicator, lang: ReportLang): HtmlEscapedString | Promise<HtmlEscapedString> {
  if (i.value === null) return html`<span class="nodata">${label('noData', lang)}</span>`;
  return i.value >= i.target
    ? html`<span class="ok">${label('yes', lang)}</span>`
    : html`<span class="fail">${label('no', lang)}</span>`;
}

export async function monthlyReportHtml(r: MonthlyReport, lang: ReportLang): Promise<string> {
  const title = `${r.place.name} ${r.period} ${label('title', lang)}`;
  const page = html`<!doctype html>
<html lang="${lang === 'zh' ? 'zh-CN' : 'en'}">
<head><meta charset="utf-8"><title>${title}</title><style>${raw(STYLE)}</style></head>
<body>
<h1>${title}</h1>
<p class="meta">${label('window', lang)}: ${localDate(r.window.from, r.timeZone)} – ${localDate(r.window.to, r.timeZone)} (${r.timeZone}) · ${label('ruralPopulation', lang)}: ${r.coverage.ruralPopulation.toLocaleString('en-US')}</p>
<h2>${label('sheetSummary', lang)}</h2>
<table id="summary">
<thead><tr><th>${label('indicator', lang)}</th><th>${label('value', lang)}</th><th>${label('numerator', lang)}</th><th>${label('denominator', lang)}</th><th>${label('target', lang)}</th><th>${label('meets', lang)}</th></tr></thead>
<tbody>${INDICATOR_NAMES.map((n) => {
    const i = r.coverage.indicators[n];
    return html`<tr data-indicator="${n}"><td>${INDICATOR_LABELS[n][lang]}</td><td class="num">${pct(i, lang)}</td><td class="num">${i.numerator}</td><td class="num">${i.denominator}</td><td class="num">${(i.target * 100).toFixed(0)} %</td><td>${standing(i, lang)}</td></tr>`;
  })}</tbody>
</table>
<h2>${label('sheetSchemes', lang)}</h2>
<table id="schemes">
<thead><tr><th>${label('scheme', lang)}</th><th>${INDICATOR_LABELS.labCompliance[lang]}</th><th>${label('labSamples', lang)}</th><th>${INDICATOR_LABELS.qualityCompliance[lang]}</th><th>${INDICATOR_LABELS.monitoringOnline[lang]}</th><th>${label('failed', lang)}</th></tr></thead>
<tbody>${r.schemes.map(
    (s) =>
      html`<tr data-scheme="${s.id}"><td>${s.name}</td><td class="num">${pct(s.labCompliance, lang)}</td><td class="num">${s.labCompliance.denominator}</td><td class="num">${pct(s.qualityCompliance, lang)}</td><td class="num">${pct(s.monitoringOnline, lang)}</td><td>${s.failed ? html`<span class="fail">${label('yes', lang)}</span>` : label('no', lang)}</td></tr>`,
  )}</tbody>
</table>
<h2>${label('sheetAlerts', lang)}</h2>
<table id="alerts">
<thead><tr><th>${label('rule', lang)}</th><th>${label('raised', lang)}</th><th>${label('acknowledged', lang)}</th><th>${label('cleared', lang)}</th><th>${label('medianAck', lang)}</th><th>${label('medianClear', lang)}</th></tr></thead>
<tbody>${
    r.rules.length === 0
      ? html`<tr><td colspan="6">${label('none', lang)}</td></tr>`
      : r.rules.map(
          (l) =>
            html`<tr><td>${l.ruleId}</td><td class="num">${l.raised}</td><td class="num">${l.acknowledged}</td><td class="num">${l.cleared}</td><td class="num">${l.medianAckMinutes?.toFixed(1) ?? '–'}</td><td class="num">${l.medianClearMinutes?.toFixed(1) ?? '–'}</td></tr>`,
        )
  }</tbody>
</table>
<h2>${label('sheetActions', lang)}</h2>
<table id="actions">
<thead><tr><th>${label('schemeId', lang)}</th><th>${label('rule', lang)}</th><th>${label('raisedAt', lang)}</th><th>${label('by', lang)}</th><th>${label('note', lang)}</th></tr></thead>
<tbody>${
    r.actions.length === 0
      ? html`<tr><td colspan="5">${label('none', lang)}</td></tr>`
      : r.actions.map(
          (a) =>
            html`<tr><td>${a.schemeId}</td><td>${a.ruleId}</td><td>${localDateTime(Date.parse(a.raisedAt), r.timeZone)}</td><td>${a.acknowledgedBy ?? ''}</td><td>${a.note ?? ''}</td></tr>`,
        )
  }</tbody>
</table>
<div class="sign"><span>${lang === 'zh' ? '编制：' : 'Prepared by:'}</span><span>${lang === 'zh' ? '审核：' : 'Checked by:'}</span></div>
</body></html>`;
  return String(await page);
}
