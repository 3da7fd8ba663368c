/** Schemas of the incident routes: list filters, pages and one incident with its alerts. */
import { z } from 'zod';
import { Alert } from '../../core/alert.js';
import { Incident } from '../../core/incidents/summary.js';
import type { Severity } from '../../core/registry-schema.js';
import { boolParam, enumParam, idParam, intParam, timeParam } from '../params.js';
import { components } from './common.js';

components.add(Incident, { id: 'Incident' });

export const DEFAULT_INCIDENT_LIMIT = 100;
export const MAX_INCIDENT_LIMIT = 1000;

export const IncidentListQuery = z.strictObject({
  active: boolParam('only incidents with an active alert (true) or with none (false)').optional(),
  severity: enumParam(
    ['warning', 'critical'] as const satisfies readonly Severity[],
    'only incidents whose most severe alert has this severity',
  ).optional(),
  county: idParam('only incidents with an alert in this county').optional(),
  since: timeParam('only incidents opened (first alert raised) at or after this time').optional(),
  limit: intParam('incidents per page', 1, MAX_INCIDENT_LIMIT).optional(),
  cursor: z.string().min(1).max(512).meta({ description: 'nextCursor of the previous page' }).optional(),
});

export const IncidentPage = z.object({
  items: z.array(Incident),
  nextCursor: z.string().optional().meta({ description: 'present when there are more; pass it as cursor' }),
});
components.add(IncidentPage, { id: 'IncidentPage' });

export const IncidentWithAlerts = Incident.extend({
  alerts: z
    .array(Alert)
    .meta({ description: 'its alerts (those of the caller’s counties), oldest raised first' }),
});
components.add(IncidentWithAlerts, { id: 'IncidentWithAlerts' });
