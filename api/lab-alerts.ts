/**
 * Alerts from laboratory samples (rule `lab-<indicator>`, kind `lab`): a failing value raises one for its
 * site and indicator, like an online breach; a later passing sample of that indicator clears it. Samples
 * arrive through the API, not ingest, so the events are appended through the store and published by the
 * API's alert callback. One alert per (site, indicator): the alert's `deviceId` is `lab:<siteId>`.
 */
import type { Alert, AlertEvent } from '../core/alert.js';
import { describeLimit, type IndicatorVerdict } from '../core/lab/judge.js';
import { type LabIndicator, labIndicator } from '../core/lab/limits.js';
import type { StoredSample } from '../core/lab/sample.js';
import { cleared } from '../core/rules/alerts.js';
import { isoTime } from '../core/time.js';
import type { TelemetryStore } from '../store/telemetry-store.js';

export const labDeviceId = (siteId: string): string => `lab:${siteId}`;
export const labRuleId = (indicator: string): `lab-${string}` => `lab-${indicator}`;

/** Health-based groups and the two indicators CONTRACT §5 already treats as critical online. */
function severityOf(ind: LabIndicator): Alert['severity'] {
  if (ind.group !== 'general') return 'critical';
  return ind.id === 'turbidity' || ind.id === 'ph' ? 'critical' : 'warning';
}

/** The bound the value broke: for a range the one it is beyond; 0 for "not detectable". */
function brokenBound(v: IndicatorVerdict): number {
  const l = v.limit;
  if (l.kind === 'max') return l.max;
  if (l.kind === 'min') return l.min;
  if (l.kind === 'range') return v.value < l.min ? l.min : l.max;
  return 0;
}

export interface LabAlertDeps {
  store: TelemetryStore;
  publish?: (e: AlertEvent) => void;
}

export type ApplyLabAlerts = (
  samples: readonly { sample: StoredSample; verdicts: IndicatorVerdict[] }[],
) => Promise<AlertEvent[]>;

export function createLabAlerts(deps: LabAlertDeps): ApplyLabAlerts {
  // One batch at a time in this process, so two uploads cannot both raise the same alert.
  let queue: Promise<unknown> = Promise.resolve();

  async function apply(
    batch: readonly { sample: StoredSample; verdicts: IndicatorVerdict[] }[],
  ): Promise<AlertEvent[]> {
    const active = new Map<string, Alert>();
    for (const a of await deps.store.activeAlerts())
      if (a.kind === 'lab') active.set(`${a.deviceId}|${a.ruleId}`, a);
    const events: AlertEvent[] = [];
    const ordered = [...batch].sort((a, b) => a.sample.sampledAt - b.sample.sampledAt);
    for (const { sample, verdicts } of ordered) {
      const deviceId = labDeviceId(sample.siteId);
      for (const v of verdicts) {
        const ind = labIndicator(v.indicator);
        if (!ind) continue;
        const key = `${deviceId}|${labRuleId(v.indicator)}`;
        const open = active.get(key);
        if (!v.pass && !open) {
          const at = isoTime(sample.sampledAt);
          const alert: Alert = {
            id: `${labRuleId(v.indicator)}.${deviceId}.${sample.sampledAt}`,
            ruleId: labRuleId(v.indicator),
            kind: 'lab',
            deviceId,
            siteId: sample.siteId,
            schemeId: sample.schemeId,
            countyId: sample.countyId,
            severity: severityOf(ind),
            active: true,
            acknowledged: false,
            raisedAt: at,
            value: v.value,
            limit: brokenBound(v),
            message: `lab sample (${sample.lab}): ${ind.nameEn} ${v.value} ${ind.unit} outside ${describeLimit(v.limit, ind.unit)} (${v.cite})`,
          };
          events.push({ type: 'raised', at, alert });
          active.set(key, alert);
        } else if (v.pass && open && sample.sampledAt >= Date.parse(open.raisedAt)) {
          // Only a sample taken after the failing one clears: a late report of an older sample says nothing of now.
          events.push(cleared(open, sample.sampledAt));
          active.delete(key);
        }
      }
    }
    if (events.length > 0) {
      await deps.store.appendAlertEvents(events);
      for (const e of events) deps.publish?.(e);
    }
    return events;
  }

  return (batch) => {
    const run = queue.then(() => apply(batch));
    queue = run.catch(() => undefined);
    return run;
  };
}
