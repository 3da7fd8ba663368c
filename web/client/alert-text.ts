/** What an alert says, in the page's language: the rule's name and a sentence from its value and limit. */
import { isMessageKey } from '../i18n.js';
import type { Alert } from './alert-model.js';
import { fmtValue, metricName } from './format.js';
import { t } from './locale.js';

export function ruleName(ruleId: string): string {
  const key = `rule.${ruleId}`;
  return isMessageKey(key) ? t(key) : ruleId;
}

/** Falls back to the server's own (English) message for kinds this page does not know. */
export function describeAlert(a: Alert): string {
  const metric = a.metric ? metricName(a.metric) : '';
  const value = a.metric && a.value !== undefined ? fmtValue(a.metric, a.value) : '';
  const limit = a.metric && a.limit !== undefined ? fmtValue(a.metric, a.limit) : '';
  switch (a.kind) {
    case 'threshold':
      if (a.value === undefined || a.limit === undefined) break;
      return t(a.value < a.limit ? 'alert.below' : 'alert.above', { metric, value, limit });
    case 'rate':
      if (a.value === undefined) break;
      return t(a.ruleId === 'pressure-drop' ? 'alert.drop' : 'alert.change', { metric, value });
    case 'stale':
      return t('alert.stale');
    case 'flatline':
      return t('alert.flatline', { metric, value });
  }
  return a.message;
}
