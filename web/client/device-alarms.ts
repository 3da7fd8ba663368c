/** Active alerts on the devices page: what each device and value shows, and where its chart starts. */
import type { Alert } from './alert-model.js';
import { ruleName } from './alert-text.js';
import { h } from './dom.js';
import { fmtValue } from './format.js';
import { t } from './locale.js';

export type AlarmsByDevice = Map<string, Alert[]>;

export function groupAlarms(alerts: readonly Alert[]): AlarmsByDevice {
  const out: AlarmsByDevice = new Map();
  for (const a of alerts) if (a.active) out.set(a.deviceId, [...(out.get(a.deviceId) ?? []), a]);
  return out;
}

export const worst = (alerts: readonly Alert[]): 'critical' | 'warning' | null =>
  alerts.length === 0 ? null : alerts.some((a) => a.severity === 'critical') ? 'critical' : 'warning';

/** The device's alarm line: a count and the rules, in words as well as colour (WCAG 1.4.1). */
export function deviceAlarmBadge(alerts: readonly Alert[]): HTMLElement | null {
  const sev = worst(alerts);
  if (!sev) return null;
  return h(
    'p',
    { class: `device-alarm sev-text-${sev}`, 'data-alarm': sev },
    `⚠ ${t('devices.alarms', { n: alerts.length })}: `,
    [...new Set(alerts.map((a) => ruleName(a.ruleId)))].join('、'),
  );
}

/** A value under an alert: its colour and the limit it broke, e.g. "⚠ 高于上限 1 NTU". */
export function valueAlarm(metric: string, alerts: readonly Alert[]): { sev: string; text: string } | null {
  const on = alerts.filter((a) => a.metric === metric);
  const sev = worst(on);
  if (!sev) return null;
  // Every alert on the value, the worst first: a burst and the low pressure it causes are both news.
  const sorted = [...on].sort((x, y) => (x.severity === y.severity ? 0 : x.severity === 'critical' ? -1 : 1));
  const text = [
    ...new Set(
      sorted.map((a) =>
        a.kind === 'threshold' && a.value !== undefined && a.limit !== undefined
          ? t(a.value < a.limit ? 'devices.belowLimit' : 'devices.aboveLimit', {
              limit: fmtValue(metric, a.limit),
            })
          : ruleName(a.ruleId),
      ),
    ),
  ].join('、');
  return { sev, text: `⚠ ${text}` };
}

const WINDOWS = ['1h', '6h', '24h', '7d', '30d'] as const;
const WINDOW_MS: Record<(typeof WINDOWS)[number], number> = {
  '1h': 3_600_000,
  '6h': 21_600_000,
  '24h': 86_400_000,
  '7d': 7 * 86_400_000,
  '30d': 30 * 86_400_000,
};

/**
 * The window a chart opens on: the one chosen if the device's newest reading is inside it, else the
 * smallest that reaches back to it, so a device silent for two days does not open on an empty day.
 */
export function windowWithData(chosen: string, lastSeen: string | null, now: number): string {
  if (!lastSeen) return chosen;
  const age = now - Date.parse(lastSeen);
  const fits = (w: string) => (WINDOW_MS[w as keyof typeof WINDOW_MS] ?? 0) > age;
  if (fits(chosen)) return chosen;
  return WINDOWS.find(fits) ?? '30d';
}
