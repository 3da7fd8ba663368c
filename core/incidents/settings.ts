/** How alerts are grouped into incidents: time windows for the travel of pressure and of water, and what makes a communication incident. */
import type { Alert } from '../alert.js';

export interface IncidentSettings {
  /**
   * A pressure or flow change travels through a network in seconds, but is seen only when each device
   * next reports and a rule needs two Readings: 15 min covers two 5-minute tap intervals and jitter.
   */
  hydraulicWindowMs: number;
  /**
   * Water itself travels for hours from the works to the last tap (chlorine decays on the way), so a
   * quality alert downstream joins an incident up to this long after its last alert.
   */
  qualityWindowMs: number;
  /** Stale alerts of one county this close together (each within this of the previous) are one communication failure. */
  commGapMs: number;
  /** How many devices of one county falling silent together make a communication incident. */
  commMinDevices: number;
  /** Communication incidents in this many counties at once are one region-wide failure (a power cut, the platform's uplink). */
  regionMinCounties: number;
}

export const DEFAULT_INCIDENT_SETTINGS: IncidentSettings = {
  hydraulicWindowMs: 15 * 60_000,
  qualityWindowMs: 24 * 3_600_000,
  commGapMs: 10 * 60_000,
  commMinDevices: 5,
  regionMinCounties: 3,
};

/** What travels with what: hydraulic alerts group with hydraulic ones, quality with quality; a stuck sensor is its own. */
export type Family = 'hydraulic' | 'quality' | 'device';

const QUALITY = new Set(['chlorine', 'turbidity', 'ph', 'conductivity', 'temperature']);

export function familyOf(alert: Alert): Family {
  if (alert.kind === 'flatline') return 'device';
  if (alert.kind === 'stale') return 'hydraulic';
  if (alert.ruleId === 'chlorine-demand' || alert.kind === 'anomaly') return 'quality';
  return alert.metric !== undefined && QUALITY.has(alert.metric) ? 'quality' : 'hydraulic';
}

/** The incident an alert belongs to; an alert stored before incidents existed is one by itself. */
export function incidentOf(alert: Alert): string {
  return alert.incidentId ?? `i.${alert.id}`;
}

/** Communication incidents have ids `c.<countyId>.<ms>` or `c.region.<ms>`. */
export function isCommunication(incidentId: string): boolean {
  return incidentId.startsWith('c.');
}
