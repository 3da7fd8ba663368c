/** What an alert says, in the page's language: the rule's name and a sentence from its value and limit. */
import { labIndicator } from '../../core/lab/limits.js';
import { isMessageKey } from '../i18n.js';
import type { Alert } from './alert-model.js';
import { fmtValue, metricName } from './format.js';
import { locale, t } from './locale.js';

export function ruleName(ruleId: string): string {
  const key = `rule.${ruleId}`;
  if (isMessageKey(key)) return t(key);
  // `lab-<indicator>`: a laboratory sample failed that GB 5749-2022 limit (core/lab/limits.ts).
  const lab = ruleId.startsWith('lab-') ? labIndicator(ruleId.slice(4)) : undefined;
  if (lab) return t('rule.lab', { indicator: locale === 'en' ? lab.nameEn : lab.nameZh });
  return ruleId;
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
      return t('alert.drop', { metric, value });
    case 'stale':
      return t('alert.stale');
    case 'flatline':
      return t('alert.flatline', { metric, value });
    case 'lab': {
      const ind = labIndicator(a.ruleId.slice(4));
      if (!ind || a.value === undefined) break;
      return t('alert.lab', {
        indicator: locale === 'en' ? ind.nameEn : ind.nameZh,
        value: `${a.value} ${ind.unit}`,
      });
    }
  }
  return a.message;
}
