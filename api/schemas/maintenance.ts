/** Schemas of the maintenance routes: the window, its creation body and the list query. */
import { z } from 'zod';
import { Id } from '../../core/ids.js';
import { MaintenanceScope, MaintenanceWindow } from '../../core/notify/maintenance.js';
import { boolParam, idParam } from '../params.js';
import { components } from './common.js';

components.add(MaintenanceWindow, { id: 'MaintenanceWindow' });

/** A window longer than a month is a decommissioning, not maintenance: it would silence a site for good. */
export const MAX_WINDOW_MS = 31 * 86_400_000;

export const MaintenanceBody = z
  .strictObject({
    scope: MaintenanceScope.meta({ description: 'what the window covers: a site, a scheme or a device' }),
    target: Id.meta({ description: 'the id of that site, scheme or device' }),
    startsAt: z.string().optional().meta({ description: 'RFC 3339 with offset, or epoch ms; default now' }),
    endsAt: z
      .string()
      .meta({ description: 'RFC 3339 with offset, or epoch ms; after startsAt, at most 31 days later' }),
    reason: z.string().max(500).optional().meta({ description: 'what work is done, for the next shift' }),
  })
  .meta({ description: 'a maintenance window; alerts raised inside it notify nobody' });
components.add(MaintenanceBody, { id: 'MaintenanceRequest' });

export const MaintenanceListQuery = z.strictObject({
  county: idParam('only windows in this county').optional(),
  all: boolParam('also windows that have ended (default: only current and future ones)').optional(),
});

export const MaintenanceList = z.object({ items: z.array(MaintenanceWindow) });
components.add(MaintenanceList, { id: 'MaintenanceList' });
