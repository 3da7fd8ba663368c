/** Cross-reference checks of the `notify` section: routes name existing channels, places and rules. */
import type { Issue } from '../result.js';
import type { NotifySection } from './schema.js';

export interface KnownIds {
  prefectures: ReadonlySet<string>;
  counties: ReadonlySet<string>;
  schemes: ReadonlySet<string>;
  rules: ReadonlySet<string>;
}

/** Every problem with its JSON path under `notify`. */
export function checkNotifyReferences(n: NotifySection, known: KnownIds): Issue[] {
  const issues: Issue[] = [];
  const channels = new Map<string, NotifySection['channels'][number]>();
  n.channels.forEach((c, i) => {
    if (channels.has(c.id))
      issues.push({ path: `notify.channels[${i}].id`, message: `duplicate channel id "${c.id}"` });
    else channels.set(c.id, c);
    if (c.type === 'webhook' && (c.url === undefined) === (c.urlEnv === undefined))
      issues.push({
        path: `notify.channels[${i}]`,
        message: 'a webhook takes exactly one of url and urlEnv',
      });
  });
  const routeIds = new Set<string>();
  n.routes.forEach((r, i) => {
    const at = `notify.routes[${i}]`;
    if (routeIds.has(r.id)) issues.push({ path: `${at}.id`, message: `duplicate route id "${r.id}"` });
    routeIds.add(r.id);
    const each = (list: readonly string[] | undefined, set: ReadonlySet<string>, what: string, key: string) =>
      list?.forEach((id, j) => {
        if (!set.has(id))
          issues.push({ path: `${at}.match.${key}[${j}]`, message: `unknown ${what} "${id}"` });
      });
    each(r.match?.counties, known.counties, 'county', 'counties');
    each(r.match?.prefectures, known.prefectures, 'prefecture', 'prefectures');
    each(r.match?.schemes, known.schemes, 'scheme', 'schemes');
    each(r.match?.rules, known.rules, 'rule', 'rules');
    r.targets.forEach((t, j) => {
      const c = channels.get(t.channel);
      const path = `${at}.targets[${j}]`;
      if (!c) issues.push({ path: `${path}.channel`, message: `unknown channel "${t.channel}"` });
      else if ((c.type === 'email' || c.type === 'sms') && !t.to)
        issues.push({ path: `${path}.to`, message: `a ${c.type} target needs "to" (who receives it)` });
      else if (c.type === 'email')
        t.to?.forEach((a, k) => {
          if (!/^[^\s@]+@[^\s@]+$/.test(a))
            issues.push({ path: `${path}.to[${k}]`, message: `"${a}" is not an e-mail address` });
        });
      else if (c.type === 'sms')
        t.to?.forEach((a, k) => {
          if (!/^\+?[0-9]{5,20}$/.test(a))
            issues.push({ path: `${path}.to[${k}]`, message: `"${a}" is not a telephone number` });
        });
    });
  });
  return issues;
}
