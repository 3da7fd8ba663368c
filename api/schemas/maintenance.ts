/** Schemas of the maintenance routes and of notifications: the window, the webhook body, the registry section. */
import { z } from 'zod';
import { Alert } from '../../core/alert.js';
import { Id } from '../../core/ids.js';
import { MaintenanceScope, MaintenanceWindow } from '../../core/notify/maintenance.js';
import { NotifySection } from '../../core/notify/schema.js';
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

/**
 * What a `webhook` channel POSTs. Headers: `Idempotency-Key` (same as `id`; a retry after a restart repeats
 * it), and with `secretEnv` set `X-Waterline-Timestamp` (Unix seconds) and `X-Waterline-Signature:
 * sha256=<hex HMAC-SHA256(secret, timestamp + "." + raw body)>`. Reject a stale timestamp to stop replays.
 */
export const WebhookNotification = z
  .object({
    id: z.string().meta({ description: 'idempotency key: alert, step, channel and recipient' }),
    step: z.enum(['raised', 'repeat', 'escalate', 'recovery']),
    level: z.enum(['county', 'prefecture', 'region']),
    title: z.string(),
    text: z.string().meta({
      description: 'the message in Chinese: county, scheme, site, value and limit, local time, link',
    }),
    link: z.string().meta({ description: 'the alert on the board' }),
    alert: Alert,
  })
  .meta({
    description: 'the JSON body of a webhook notification (see the headers in the route description)',
  });
components.add(WebhookNotification, { id: 'WebhookNotification' });

// The registry's `notify` section is not an API body, but clients configuring the platform read it here.
components.add(NotifySection, { id: 'RegistryNotifySection' });
