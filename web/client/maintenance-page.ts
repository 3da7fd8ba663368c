/** The maintenance page: list the windows the key may see, schedule one, end one. */
import type { MaintenanceWindow } from '../../core/notify/maintenance.js';
import { api, postJson, request } from './api.js';
import { byId, fill, h } from './dom.js';
import { fmtTime } from './format.js';
import { t } from './locale.js';
import { loadPlaces } from './places.js';
import type { Session } from './session.js';

const SCOPES = ['site', 'scheme', 'device'] as const;

/** `datetime-local` is the browser's local time; the API takes RFC 3339 with an offset. */
const toIso = (local: string) => new Date(local).toISOString();

export function startMaintenancePage(session: Session): void {
  const form = byId<HTMLFormElement>('maint-form');
  const rows = byId('maint-rows');
  const status = byId('maint-status');
  const canWrite = session.role !== 'viewer';
  if (!canWrite) form.hidden = true;
  const ends = byId<HTMLInputElement>('maint-ends');
  // A sensible default: two hours of work from now.
  const local = (ms: number) => {
    const d = new Date(ms - new Date().getTimezoneOffset() * 60_000);
    return d.toISOString().slice(0, 16);
  };
  ends.value = local(Date.now() + 2 * 3_600_000);

  const load = async () => {
    const { items } = await api<{ items: MaintenanceWindow[] }>('/api/v1/maintenance');
    if (items.length === 0) {
      fill(rows, h('tr', {}, h('td', { colspan: 8 }, t('maint.none'))));
      return;
    }
    fill(
      rows,
      items.map((w) =>
        h(
          'tr',
          { 'data-id': w.id },
          h(
            'td',
            {},
            (SCOPES as readonly string[]).includes(w.scope) ? t(`maint.scope.${w.scope}`) : w.scope,
          ),
          h('td', {}, w.target),
          h('td', {}, w.countyId),
          h('td', {}, fmtTime(w.startsAt)),
          h('td', {}, fmtTime(w.endsAt)),
          h('td', {}, w.reason ?? ''),
          h('td', {}, w.createdBy),
          h(
            'td',
            {},
            canWrite
              ? h(
                  'button',
                  {
                    type: 'button',
                    class: 'maint-delete',
                    'aria-label': `${t('maint.delete')} ${w.target}`,
                    onclick: () => void remove(w.id),
                  },
                  t('maint.delete'),
                )
              : null,
          ),
        ),
      ),
    );
  };
  const fail = (e: unknown) => {
    status.textContent = t('maint.failed', { detail: e instanceof Error ? e.message : String(e) });
  };
  const remove = async (id: string) => {
    try {
      await request(`/api/v1/maintenance/${encodeURIComponent(id)}`, { method: 'DELETE' });
      await load();
    } catch (e) {
      fail(e);
    }
  };

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const data = new FormData(form);
    const starts = String(data.get('startsAt') ?? '');
    const reason = String(data.get('reason') ?? '').trim();
    const body = {
      scope: String(data.get('scope')),
      target: String(data.get('target') ?? '').trim(),
      ...(starts ? { startsAt: toIso(starts) } : {}),
      endsAt: toIso(String(data.get('endsAt'))),
      ...(reason ? { reason } : {}),
    };
    postJson<MaintenanceWindow>('/api/v1/maintenance', body)
      .then(async () => {
        status.textContent = t('maint.created');
        byId<HTMLInputElement>('maint-target').value = '';
        await load();
      })
      .catch(fail);
  });

  // Suggest the ids of the schemes and sites of the key's counties.
  void Promise.all(session.counties.map((c) => loadPlaces(c.id)))
    .then((all) => {
      const ids = all.flatMap((p) => [...p.schemes.map((s) => s.id), ...p.sites.map((s) => s.id)]);
      fill(
        byId('maint-targets'),
        ids.map((id) => h('option', { value: id })),
      );
    })
    .catch(() => {});
  load().catch(fail);
}
