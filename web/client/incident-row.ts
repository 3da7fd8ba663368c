/** One row of the board per incident: a header naming its cause and place, folding its alerts away when there are many. */
import type { Alert } from '../../core/alert.js';
import { api } from './api.js';
import { h } from './dom.js';
import { type IncidentGroup, isUnfolded } from './incident-model.js';
import { t } from './locale.js';
import { siteLabel } from './places.js';

interface Summary {
  rootSiteId?: string;
  scope?: string;
}

export interface IncidentRows {
  row(g: IncidentGroup, now: number): HTMLLIElement;
}

/**
 * `item` renders one alert as the board always has; `changed` re-renders the list once a fold is
 * toggled or an incident's root cause arrives from the API.
 */
export function createIncidentRows(deps: {
  item: (a: Alert, now: number) => HTMLLIElement;
  countyName: (id: string) => string;
  changed: () => void;
}): IncidentRows {
  const folds = new Map<string, boolean>();
  const summaries = new Map<string, Summary | 'loading'>();

  const summary = (id: string): Summary | undefined => {
    const s = summaries.get(id);
    if (s === undefined) {
      summaries.set(id, 'loading');
      api<Summary>(`/api/v1/incidents/${encodeURIComponent(id)}`).then(
        (r) => {
          summaries.set(id, r);
          deps.changed();
        },
        // Not stored yet (the event came first) or gone: asked again on a later render.
        () => setTimeout(() => summaries.delete(id), 5_000),
      );
      return undefined;
    }
    return s === 'loading' ? undefined : s;
  };

  const title = (g: IncidentGroup): string => {
    const n = g.alerts.length;
    if (g.id.startsWith('c.')) {
      const scope = g.id.split('.')[1] ?? '';
      const place = scope === 'region' ? t('incidents.scope.region') : deps.countyName(scope);
      return `${t('incidents.comm', { n })} · ${place}`;
    }
    if (new Set(g.alerts.map((a) => a.deviceId)).size === 1) return t('incidents.device', { n });
    const root = summary(g.id)?.rootSiteId ?? g.alerts.at(-1)!.siteId;
    return t('incidents.network', { n, site: siteLabel(root) });
  };

  return {
    row(g, now) {
      if (g.alerts.length === 1) return deps.item(g.alerts[0]!, now);
      const open = isUnfolded(g, folds);
      const critical = g.alerts.some((a) => a.severity === 'critical');
      const sev = critical ? 'critical' : 'warning';
      const label = title(g);
      return h(
        'li',
        { class: `incident sev-${sev}`, 'data-incident-id': g.id, 'data-alerts': g.alerts.length },
        h(
          'div',
          { class: 'incident-head' },
          h('span', { class: `badge sev-badge-${sev}` }, t(`severity.${sev}`)),
          ' ',
          h('strong', { class: 'incident-title' }, label),
          h(
            'button',
            {
              type: 'button',
              class: 'incident-toggle',
              'aria-expanded': String(open),
              'data-action': 'toggle',
              'data-alert-id': g.id,
              'data-focus-key': `toggle:${g.id}`,
              'aria-label': `${open ? t('incidents.hide') : t('incidents.show', { n: g.alerts.length })}: ${label}`,
              onclick: () => {
                folds.set(g.id, !open);
                deps.changed();
              },
            },
            open ? t('incidents.hide') : t('incidents.show', { n: g.alerts.length }),
          ),
        ),
        open ? h('ul', { class: 'incident-alerts' }, ...g.alerts.map((a) => deps.item(a, now))) : null,
      );
    },
  };
}
