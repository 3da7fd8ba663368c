/** Schemas of the alert routes: list filters, acknowledgement body, pages and one alert's history. */
import { z } from 'zod';
import { Alert, AlertEvent } from '../../core/alert.js';
import type { Severity } from '../../core/registry-schema.js';
import { boolParam, enumParam, idParam, intParam, timeParam } from '../params.js';
import { components } from './common.js';

components.add(Alert, { id: 'Alert' });
components.add(AlertEvent, { id: 'AlertEvent' });

/** CONTRACT §7: limit 1..1000, default 100. */
export const DEFAULT_ALERT_LIMIT = 100;
export const MAX_ALERT_LIMIT = 1000;

export const AlertListQuery = z.strictObject({
  active: boolParam('only alerts still active (true) or cleared (false)').optional(),
  acknowledged: boolParam('only acknowledged (true) or unacknowledged (false) alerts').optional(),
  severity: enumParam(
    ['warning', 'critical'] as const satisfies readonly Severity[],
    'only alerts of this severity',
  ).optional(),
  county: idParam('only alerts of this county').optional(),
  device: idParam('only alerts of this device').optional(),
  since: timeParam('only alerts raised at or after this time').optional(),
  suppressed: boolParam(
    'only alerts raised inside a maintenance window (true, they notified nobody) or outside one (false)',
  ).optional(),
  limit: intParam('alerts per page', 1, MAX_ALERT_LIMIT).optional(),
  cursor: z.string().min(1).max(512).meta({ description: 'nextCursor of the previous page' }).optional(),
});

export const AlertStreamQuery = z.strictObject({
  county: idParam('only events of alerts of this county').optional(),
});

/** A note is for the next shift to read, not a document store: 2,000 characters is a generous page. */
export const AckBody = z
  .strictObject({ note: z.string().max(2000).optional().meta({ description: 'why, or what was done' }) })
  .meta({ description: 'the acknowledgement; the body may be empty' });
components.add(AckBody, { id: 'AckRequest' });

/** Resolving ends an alert by hand, so the next shift must be able to read why: the note is required. */
export const ResolveBody = z
  .strictObject({
    note: z
      .string({ error: 'is required: say why the alert is resolved' })
      .trim()
      .min(1, { error: 'must not be empty: say why the alert is resolved' })
      .max(2000)
      .meta({ description: 'why the alert is over, or what was done (1..2000 characters)' }),
  })
  .meta({ description: 'the resolution' });
components.add(ResolveBody, { id: 'ResolveRequest' });

export const AlertPage = z.object({
  items: z.array(Alert),
  nextCursor: z.string().optional().meta({ description: 'present when there are more; pass it as cursor' }),
});
components.add(AlertPage, { id: 'AlertPage' });

export const AlertWithHistory = Alert.extend({
  events: z.array(AlertEvent).meta({ description: 'every change to the alert, oldest first' }),
});
components.add(AlertWithHistory, { id: 'AlertWithHistory' });
