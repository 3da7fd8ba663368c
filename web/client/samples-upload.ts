/** Uploading a lab's CSV or XLSX file to POST /api/v1/samples, and showing what was stored and each bad row. */
import { byId, fill, h } from './dom.js';
import { t } from './locale.js';
import { storedKey } from './session.js';

interface Report {
  stored?: number;
  errors?: { row: number; column: string; detail: string }[];
  rows?: { row: number; column: string; detail: string }[];
  detail?: string;
}

const TYPES: Record<string, string> = {
  csv: 'text/csv',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

export function startSamplesUpload(): void {
  const form = byId<HTMLFormElement>('samples-form');
  const out = byId('samples-result');
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const file = (form.elements.namedItem('file') as HTMLInputElement).files?.[0];
    if (!file) return;
    const type = TYPES[file.name.split('.').pop()?.toLowerCase() ?? ''];
    if (!type) return fill(out, h('p', { class: 'error' }, t('samples.file')));
    void (async () => {
      // Not api(): that one sends JSON; this body is the file itself.
      const res = await fetch('/api/v1/samples', {
        method: 'POST',
        headers: { authorization: `Bearer ${storedKey() ?? ''}`, 'content-type': type },
        body: file,
      });
      const r = (await res.json()) as Report;
      const errors = r.errors ?? r.rows ?? [];
      fill(
        out,
        h(
          'p',
          { class: res.ok ? 'summary' : 'error' },
          res.ok
            ? t('samples.stored', { n: r.stored ?? 0, bad: errors.length })
            : (r.detail ?? `HTTP ${res.status}`),
        ),
        errors.length
          ? h(
              'ul',
              { class: 'row-errors' },
              errors.map((x) =>
                h('li', {}, t('samples.row', { row: x.row, column: x.column, detail: x.detail })),
              ),
            )
          : null,
      );
    })().catch((err: unknown) => fill(out, h('p', { class: 'error' }, String(err))));
  });
}
