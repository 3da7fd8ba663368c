/** One delivery pass over the outbox: rate-limited per channel, claimed before sending, recorded after. */
import type { Logger } from 'pino';
import type { NotificationInfo } from '../core/alert.js';
import type { Channel } from '../core/notify/schema.js';
import { DEFAULT_RATE_PER_MINUTE } from './channels/index.js';
import type { Sender } from './channels/types.js';
import type { Outbox, OutboxRow } from './outbox.js';
import { type Payload, shownRecipient } from './plan.js';
import type { RateLimiter } from './rate-limit.js';

/** After this many attempts a message is given up (about 17 minutes of retries with the backoff below). */
export const MAX_ATTEMPTS = 8;

/** Exponential backoff: 5 s, 10 s, 20 s… capped at 10 minutes, so a robot that is down is not hammered. */
export function backoffMs(attempts: number): number {
  return Math.min(600_000, 5_000 * 2 ** Math.max(0, attempts - 1));
}

export interface DeliverDeps {
  outbox: Outbox;
  channels: () => ReadonlyMap<string, { channel: Channel; send: Sender }>;
  limiter: RateLimiter;
  clock: () => number;
  log: Logger;
}

/** Sends what is due; channels in parallel, one message at a time within a channel (their order kept). */
export async function deliverDue(deps: DeliverDeps, limit = 200): Promise<number> {
  const now = deps.clock();
  const rows = deps.outbox.due(now, limit);
  const byChannel = new Map<string, OutboxRow[]>();
  for (const r of rows) {
    const list = byChannel.get(r.channel);
    if (list) list.push(r);
    else byChannel.set(r.channel, [r]);
  }
  let sent = 0;
  await Promise.all(
    [...byChannel].map(async ([id, list]) => {
      for (const row of list) {
        const ch = deps.channels().get(id);
        if (
          ch &&
          !deps.limiter.take(
            id,
            ch.channel.ratePerMinute ?? DEFAULT_RATE_PER_MINUTE[ch.channel.type],
            deps.clock(),
          )
        )
          return; // the rest waits for the next pass, in order
        // A failure (a channel down, each request waiting out its timeout) ends this channel's turn: the
        // rest of its messages wait for the next pass instead of holding up every other channel's.
        if (!(await deliverOne(deps, row, ch))) return;
        sent++;
      }
    }),
  );
  return sent;
}

async function deliverOne(
  deps: DeliverDeps,
  row: OutboxRow,
  ch: { channel: Channel; send: Sender } | undefined,
): Promise<boolean> {
  // Durably claimed before the request goes out: a crash now leaves it `sending`, found at the next start.
  if (!deps.outbox.claim(row.id, deps.clock())) return false;
  const attempt = row.attempts + 1;
  const payload = JSON.parse(row.payload) as Payload;
  const info: NotificationInfo = {
    channel: row.channel,
    channelType: payload.channelType,
    recipient: shownRecipient(payload.channelType, row.recipient),
    step: row.step,
    level: payload.levelName,
    attempt,
  };
  let error: string | undefined;
  if (!ch || ch.channel.enabled === false)
    error = `channel "${row.channel}" is no longer configured or enabled`;
  else
    try {
      await ch.send({
        message: payload.message,
        recipient: row.recipient,
        idempotencyKey: row.key,
        alert: payload.alert,
        step: row.step,
        level: payload.levelName,
      });
    } catch (e) {
      error = (e as Error).message.slice(0, 500);
    }
  const now = deps.clock();
  if (error === undefined) {
    deps.outbox.finish(
      row,
      { state: 'sent', dueAt: row.dueAt },
      { type: 'notified', alert: payload.alert, notification: info },
      now,
    );
    deps.log.info({ alertId: row.alertId, channel: row.channel, step: row.step }, 'notified');
    return true;
  }
  const giveUp = attempt >= MAX_ATTEMPTS || !ch;
  deps.outbox.finish(
    row,
    { state: giveUp ? 'failed' : 'pending', dueAt: giveUp ? row.dueAt : now + backoffMs(attempt), error },
    { type: 'notify-failed', alert: payload.alert, notification: { ...info, error } },
    now,
  );
  deps.log.warn({ alertId: row.alertId, channel: row.channel, attempt, err: error }, 'notification failed');
  return false;
}
