/** Turning an alert and a due step into queued messages: recipients per level, the words, stable keys. */
import type { Alert } from '../core/alert.js';
import { buildMessage, type Message, type MessagePlace } from '../core/notify/message.js';
import { type AlertPlace, levelAt, recipientsAt } from '../core/notify/route.js';
import type { Step } from '../core/notify/schedule.js';
import type { NotifySection } from '../core/notify/schema.js';
import { type Registry, timeZoneOf } from '../core/registry.js';
import type { NewMessage } from './outbox.js';

/** What a queued row carries besides its columns. */
export interface Payload {
  message: Message;
  alert: Alert;
  channelType: string;
  levelName: string;
}

export function placeOf(registry: Registry, alert: Alert): AlertPlace & MessagePlace {
  const county = registry.counties.get(alert.countyId);
  const scheme = registry.schemes.get(alert.schemeId);
  const site = registry.sites.get(alert.siteId);
  return {
    countyId: alert.countyId,
    prefectureId: county?.prefecture,
    schemeId: alert.schemeId,
    countyName: county?.name ?? alert.countyId,
    schemeName: scheme?.name ?? alert.schemeId,
    siteName: site?.name ?? alert.siteId,
    siteKind: site?.kind,
  };
}

export interface PlanContext {
  registry: Registry;
  notify: NotifySection;
  boardUrl: string;
}

/** The messages one step of one alert calls for, at every level it reaches. */
export function planStep(ctx: PlanContext, alert: Alert, step: Step): NewMessage[] {
  const place = placeOf(ctx.registry, alert);
  const message = buildMessage({
    alert,
    place,
    kind: step.kind,
    n: step.n,
    timeZone: timeZoneOf(ctx.registry),
    boardUrl: ctx.boardUrl,
    at: Date.parse(alert.raisedAt),
  });
  const out: NewMessage[] = [];
  for (let level = step.fromLevel; level <= step.level; level++) {
    const levelName = levelAt(level);
    for (const r of recipientsAt(ctx.notify, levelName, alert, place))
      out.push(row(ctx, alert, step.key, step.kind, level, levelName, r.channel, r.to, message, step.dueAt));
  }
  return out;
}

/** The one "恢复" message to every recipient whose route asks for it, at the levels that heard of the alert. */
export function planRecovery(ctx: PlanContext, alert: Alert, levelReached: number, at: number): NewMessage[] {
  const place = placeOf(ctx.registry, alert);
  const message = buildMessage({
    alert,
    place,
    kind: 'recovery',
    n: 0,
    timeZone: timeZoneOf(ctx.registry),
    boardUrl: ctx.boardUrl,
    at,
  });
  const out: NewMessage[] = [];
  for (let level = 0; level <= levelReached; level++) {
    const levelName = levelAt(level);
    for (const r of recipientsAt(ctx.notify, levelName, alert, place))
      if (r.recovery)
        out.push(
          row(ctx, alert, `${alert.id}:recovery`, 'recovery', level, levelName, r.channel, r.to, message, at),
        );
  }
  return out;
}

function row(
  ctx: PlanContext,
  alert: Alert,
  stepKey: string,
  step: string,
  level: number,
  levelName: string,
  channel: string,
  to: string,
  message: Message,
  dueAt: number,
): NewMessage {
  const channelType = ctx.notify.channels.find((c) => c.id === channel)?.type ?? 'webhook';
  const payload: Payload = { message, alert, channelType, levelName };
  return {
    key: `${stepKey}|${channel}|${to}`,
    alertId: alert.id,
    channel,
    recipient: to,
    step,
    level,
    payload: JSON.stringify(payload),
    dueAt,
  };
}

/** What the history shows of a recipient: a telephone number keeps its first 3 and last 4 digits. */
export function shownRecipient(channelType: string, to: string): string {
  if (channelType !== 'sms' || to.length < 8) return to;
  return `${to.slice(0, 3)}${'*'.repeat(to.length - 7)}${to.slice(-4)}`;
}
