/**
 * The monthly report a county or the region signs: coverage indicators against the targets, lab and
 * online compliance per scheme, device online rate, alerts by rule with the median times to acknowledge
 * and to clear, and the schemes that failed with what was done (acknowledgement notes). Pure: the route
 * gathers the inputs, renderers (XLSX, HTML) lay it out.
 */
import type { Alert } from '../alert.js';
import type { CoverageRow } from '../coverage/compute.js';
import type { Indicator } from '../coverage/indicator.js';

export interface SchemeLine {
  id: string;
  name: string;
  countyId: string;
  labCompliance: Indicator;
  qualityCompliance: Indicator;
  monitoringOnline: Indicator;
  /** Judged on the basis of safeWaterCoverage and below the quality target, or no data at all. */
  failed: boolean;
}

export interface RuleLine {
  ruleId: string;
  raised: number;
  acknowledged: number;
  cleared: number;
  /** Minutes; null when none was acknowledged (or cleared). */
  medianAckMinutes: number | null;
  medianClearMinutes: number | null;
}

export interface ActionLine {
  schemeId: string;
  alertId: string;
  ruleId: string;
  raisedAt: string;
  acknowledgedBy?: string;
  note?: string;
}

export interface MonthlyReport {
  period: string;
  timeZone: string;
  /** The place reported: a county, or the region. */
  place: { id: string; name: string; level: 'county' | 'region' };
  window: { from: number; to: number };
  coverage: CoverageRow;
  schemes: SchemeLine[];
  rules: RuleLine[];
  actions: ActionLine[];
}

/** The median of a list (mean of the middle two for an even count), or null for none. */
export function median(xs: readonly number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

const minutes = (from: string, to: string | undefined): number | null =>
  to === undefined ? null : (Date.parse(to) - Date.parse(from)) / 60_000;

/** Alerts raised in the period, grouped by rule in id order. */
export function ruleLines(alerts: readonly Alert[]): RuleLine[] {
  const by = new Map<string, Alert[]>();
  for (const a of alerts) by.set(a.ruleId, [...(by.get(a.ruleId) ?? []), a]);
  return [...by.keys()].sort().map((ruleId) => {
    const list = by.get(ruleId)!;
    const ack = list.map((a) => minutes(a.raisedAt, a.acknowledgedAt)).filter((m): m is number => m !== null);
    const clear = list.map((a) => minutes(a.raisedAt, a.clearedAt)).filter((m): m is number => m !== null);
    return {
      ruleId,
      raised: list.length,
      acknowledged: ack.length,
      cleared: clear.length,
      medianAckMinutes: median(ack),
      medianClearMinutes: median(clear),
    };
  });
}

/** A scheme fails the month when its compliance (lab where it has lab samples) is below target, or unknown. */
export function schemeFailed(row: CoverageRow): boolean {
  const lab = row.indicators.labCompliance;
  const basis = lab.value !== null ? lab : row.indicators.qualityCompliance;
  return basis.value === null || basis.value < basis.target;
}

export function buildMonthlyReport(input: {
  period: string;
  timeZone: string;
  place: MonthlyReport['place'];
  window: MonthlyReport['window'];
  coverage: CoverageRow;
  schemeRows: readonly (CoverageRow & { countyId: string })[];
  alerts: readonly Alert[];
}): MonthlyReport {
  const schemes: SchemeLine[] = input.schemeRows.map((r) => ({
    id: r.id,
    name: r.name,
    countyId: r.countyId,
    labCompliance: r.indicators.labCompliance,
    qualityCompliance: r.indicators.qualityCompliance,
    monitoringOnline: r.indicators.monitoringOnline,
    failed: schemeFailed(r),
  }));
  const failed = new Set(schemes.filter((s) => s.failed).map((s) => s.id));
  const actions: ActionLine[] = input.alerts
    .filter((a) => failed.has(a.schemeId) && a.acknowledged)
    .sort((a, b) => a.raisedAt.localeCompare(b.raisedAt) || a.id.localeCompare(b.id))
    .map((a) => {
      const line: ActionLine = {
        schemeId: a.schemeId,
        alertId: a.id,
        ruleId: a.ruleId,
        raisedAt: a.raisedAt,
      };
      if (a.acknowledgedBy !== undefined) line.acknowledgedBy = a.acknowledgedBy;
      if (a.note !== undefined) line.note = a.note;
      return line;
    });
  return {
    period: input.period,
    timeZone: input.timeZone,
    place: input.place,
    window: input.window,
    coverage: input.coverage,
    schemes,
    rules: ruleLines(input.alerts),
    actions,
  };
}
