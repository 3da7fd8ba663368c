/** The coverage page's monthly report: download the XLSX, or open the printable page, with the session's key. */
import { request } from './api.js';
import { byId, h } from './dom.js';
import { locale, t } from './locale.js';

export function startCoverageReport(): void {
  const form = byId<HTMLFormElement>('report-controls');
  const month = form.elements.namedItem('period') as HTMLInputElement;
  // Last month by default: the one a report is written about.
  const d = new Date();
  d.setDate(0);
  month.value = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;

  const query = (format: string) => {
    const data = new FormData(form);
    const q = new URLSearchParams({
      period: String(data.get('period')),
      format,
      lang: locale === 'en' ? 'en' : 'zh',
    });
    const county = String(data.get('county') ?? '');
    if (county) q.set('county', county);
    return `/api/v1/reports/monthly?${q}`;
  };

  const open = async (format: 'xlsx' | 'html') => {
    if (!month.value) return month.reportValidity();
    const res = await request(query(format));
    const url = URL.createObjectURL(await res.blob());
    if (format === 'html') window.open(url, '_blank', 'noopener');
    else {
      const a = h('a', { href: url, download: `report-${month.value}.xlsx`, hidden: true });
      document.body.append(a);
      a.click();
      a.remove();
    }
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  };
  const fail = (e: unknown) =>
    alert(t('page.loadFailed', { detail: e instanceof Error ? e.message : String(e) }));
  byId('report-xlsx').addEventListener('click', () => void open('xlsx').catch(fail));
  byId('report-print').addEventListener('click', () => void open('html').catch(fail));
}
