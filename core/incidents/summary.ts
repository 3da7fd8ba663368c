/** An incident as the API shows it: summarised from its alerts and the topology (pure). */
import { z } from 'zod';
import { type Alert, AlertKind } from '../alert.js';
import { Severity } from '../registry-schema.js';
import { isCommunication } from './settings.js';
import { rootCause, type Topology } from './topology.js';

const Time = z.iso.datetime();

export const IncidentKind = z.enum(['network', 'communication', 'device']);
export type IncidentKind = z.infer<typeof IncidentKind>;

export const Incident = z.object({
  id: z.string(),
  kind: IncidentKind.meta({
    description:
      '`network`: alerts at connected sites with one root cause; `communication`: many devices silent together; `device`: one device',
  }),
  rootSiteId: z.string().optional().meta({
    description: 'the most upstream alerting site, or a site with no device whose downstream sites all alarm',
  }),
  /** A communication incident's county, or `region`. */
  scope: z.string().optional(),
  schemeId: z.string().optional(),
  countyIds: z.array(z.string()),
  severity: Severity,
  active: z.boolean(),
  acknowledged: z.boolean().meta({ description: 'every alert of the incident is acknowledged' }),
  openedAt: Time,
  closedAt: Time.optional(),
  alertCount: z.number().int(),
  activeCount: z.number().int(),
  deviceCount: z.number().int(),
  kinds: z.array(AlertKind),
  message: z.string().meta({ description: 'the message of the alert at the root cause (or the first one)' }),
});
export type Incident = z.infer<typeof Incident>;

export function summariseIncident(id: string, alerts: readonly Alert[], topology: Topology): Incident {
  const sorted = [...alerts].sort((a, b) => Date.parse(a.raisedAt) - Date.parse(b.raisedAt));
  const first = sorted[0]!;
  const active = sorted.filter((a) => a.active);
  const devices = new Set(sorted.map((a) => a.deviceId));
  const comm = isCommunication(id);
  const kind: IncidentKind = comm ? 'communication' : devices.size === 1 ? 'device' : 'network';
  // A tank's level moves with what happens on either side of it (a burst below drains it, an outage
  // above stops filling it): an effect, so it names the root only when nothing else alarms.
  // Every alert the incident ever had, so the root does not wander as alerts clear.
  const causes = sorted.filter((a) => a.metric !== 'level');
  const sites = new Set((causes.length > 0 ? causes : sorted).map((a) => a.siteId));
  const root = comm ? null : rootCause(topology, sites);
  const schemes = new Set(sorted.map((a) => a.schemeId));
  const atRoot = sorted.find((a) => a.siteId === root) ?? first;
  const cleared = sorted.map((a) => a.clearedAt).filter((x): x is string => x !== undefined);
  const inc: Incident = {
    id,
    kind,
    countyIds: [...new Set(sorted.map((a) => a.countyId))].sort(),
    severity: sorted.some((a) => a.severity === 'critical') ? 'critical' : 'warning',
    active: active.length > 0,
    acknowledged: sorted.every((a) => a.acknowledged),
    openedAt: first.raisedAt,
    alertCount: sorted.length,
    activeCount: active.length,
    deviceCount: devices.size,
    kinds: [...new Set(sorted.map((a) => a.kind))],
    message: comm
      ? `${devices.size} devices silent together${id.split('.')[1] === 'region' ? ' across the region' : ` in ${first.countyId}`}: a communication or power failure`
      : atRoot.message,
  };
  if (root !== null) inc.rootSiteId = root;
  if (comm) inc.scope = id.split('.')[1];
  if (schemes.size === 1) inc.schemeId = first.schemeId;
  if (active.length === 0 && cleared.length > 0) inc.closedAt = cleared.sort().at(-1);
  return inc;
}
