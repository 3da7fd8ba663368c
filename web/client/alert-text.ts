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
      return t(a.ruleId === 'pressure-drop' ? 'alert.drop' : 'alert.change', { metric, value });
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

/**
 * The system message in the reader's language, with the place: the server's message is English
 * (logs, MQTT), so its numbers are taken from the alert's fields, and the few that only the message
 * carries (a drop's reference, a silence's length) from the message core/rules/messages.ts writes.
 * An alert of a kind this page does not know keeps the server's words.
 */
export function systemMessage(a: Alert, place: string): string {
  const metric = a.metric ? metricName(a.metric) : '';
  const fmt = (v: number | undefined) => (a.metric && v !== undefined ? fmtValue(a.metric, v) : '');
  switch (a.kind) {
    case 'threshold':
      if (a.value === undefined || a.limit === undefined) break;
      return t(a.value < a.limit ? 'msg.below' : 'msg.above', {
        place,
        metric,
        value: fmt(a.value),
        limit: fmt(a.limit),
      });
    case 'rate': {
      if (a.value === undefined) break;
      const m = /below the highest of the previous ([\d.]+) min \(([\d.]+) MPa\)/.exec(a.message);
      if (!m) return t('msg.dropShort', { place, value: fmt(a.value), limit: fmt(a.limit) });
      const reference = Number(m[2]);
      const pct = Math.round((1 - a.value / reference) * 100);
      return t('msg.drop', { place, value: fmt(a.value), minutes: m[1]!, reference: fmt(reference), pct });
    }
    case 'stale': {
      const m = /for (\d+) s \(it reports every (\d+) s\)/.exec(a.message);
      if (!m) break;
      return t('msg.stale', { place, device: a.deviceId, silent: m[1]!, interval: m[2]! });
    }
    case 'flatline': {
      const m = /for (\d+) consecutive readings/.exec(a.message);
      if (!m || a.value === undefined) break;
      return t('msg.flatline', { place, metric, value: fmt(a.value), count: m[1]! });
    }
  }
  return a.message;
}
