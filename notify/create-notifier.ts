/** The notifier: follows durable AlertEvents, queues messages in its outbox, delivers, records history. */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Alert, AlertEvent } from '../core/alert.js';
import { escalationPolicy, stepsDue } from '../core/notify/schedule.js';
import type { Channel, NotifySection } from '../core/notify/schema.js';
import type { Registry } from '../core/registry.js';
import type { TelemetryStore } from '../store/telemetry-store.js';
import { createSender } from './channels/index.js';
import type { Sender } from './channels/types.js';
import { deliverDue } from './deliver.js';
import { createMaintenanceStore, type MaintenanceStore } from './maintenance-store.js';
import { openOutbox } from './outbox.js';
import { type PlanContext, planRecovery, planStep } from './plan.js';
import { createRateLimiter } from './rate-limit.js';

export interface NotifierDeps {
  registry: () => Registry;
  store: TelemetryStore;
  /** `${dataDir}/notify.db` holds the outbox and the maintenance windows. */
  dataDir: string;
  clock?: () => number;
  log: Logger;
  /** The board's base URL for links in messages (a function when the port is known only later). */
  boardUrl: string | (() => string);
  fetch?: typeof fetch;
  env?: Readonly<Record<string, string | undefined>>;
  /** How often the loop runs (default 1 s). */
  tickMs?: number;
  /** Also read every event stored by any writer (default true), so none is missed if `handle` was not called. */
  follow?: boolean;
  sendTimeoutMs?: number;
}

export interface Notifier {
  /** Takes durable AlertEvents (raised, acknowledged, cleared, resolved...); idempotent. */
  handle(events: readonly AlertEvent[]): Promise<void>;
  /** Whether an alert raised at `at` falls in a maintenance window (ingest marks it `suppressed`). */
  isSuppressed(alert: Pick<Alert, 'siteId' | 'schemeId' | 'deviceId'>, at: number): boolean;
  maintenance: MaintenanceStore;
  /** One pass: schedule repeats and escalations, deliver what is due, store history, follow the store. */
  tick(): Promise<void>;
  start(): void;
  /** Waits for the pass in flight (sends finish and are recorded), then closes the file. */
  stop(): Promise<void>;
}

const FOLLOW_CURSOR = 'follow-cursor';
const FOLLOW_PRIMED = 'follow-primed';
const STATE_TYPES = new Set(['notified', 'notify-failed', 'suppressed']);

export function createNotifier(deps: NotifierDeps): Notifier {
  const clock = deps.clock ?? Date.now;
  const log = deps.log;
  mkdirSync(deps.dataDir, { recursive: true });
  const outbox = openOutbox(join(deps.dataDir, 'notify.db'));
  const maintenance = createMaintenanceStore(outbox.db);
  const limiter = createRateLimiter();
  const boardUrl = () => (typeof deps.boardUrl === 'function' ? deps.boardUrl() : deps.boardUrl);
  const interrupted = outbox.recoverInterrupted();
  if (interrupted > 0) log.warn({ messages: interrupted }, 'messages interrupted by a stop are sent again');

  let senders: { of: NotifySection | undefined; map: Map<string, { channel: Channel; send: Sender }> } = {
    of: undefined,
    map: new Map(),
  };
  const channels = () => {
    const notify = deps.registry().file.notify;
    if (senders.of !== notify || (notify && senders.map.size === 0)) {
      const map = new Map<string, { channel: Channel; send: Sender }>();
      for (const c of notify?.channels ?? [])
        map.set(c.id, {
          channel: c,
          send: createSender(c, {
            env: deps.env ?? process.env,
            fetch: deps.fetch ?? fetch,
            baseUrl: boardUrl(),
            clock,
            timeoutMs: deps.sendTimeoutMs ?? 10_000,
          }),
        });
      senders = { of: notify, map };
    }
    return senders.map;
  };
  const context = (): PlanContext | null => {
    const registry = deps.registry();
    const notify = registry.file.notify;
    return notify ? { registry, notify, boardUrl: boardUrl() } : null;
  };

  const schedule = (ctx: PlanContext, alert: Alert, now: number) => {
    const policy = escalationPolicy(ctx.notify.escalation);
    const steps = stepsDue(
      { id: alert.id, raisedAtMs: Date.parse(alert.raisedAt), severity: alert.severity },
      policy,
      now,
    );
    outbox.enqueue(
      steps.flatMap((s) => planStep(ctx, alert, s)),
      now,
    );
  };

  const isSuppressed = (alert: Pick<Alert, 'siteId' | 'schemeId' | 'deviceId'>, at: number) =>
    maintenance.covering(alert, at) !== undefined;

  function onEvent(ctx: PlanContext, e: AlertEvent, now: number): void {
    if (STATE_TYPES.has(e.type)) return;
    const alert = e.alert;
    const seen = outbox.follow(alert.id);
    if (e.type === 'raised') {
      if (seen) return;
      const raisedAt = Date.parse(alert.raisedAt);
      if (alert.suppressed === true || isSuppressed(alert, raisedAt)) {
        outbox.setFollow(alert.id, 'suppressed', alert, raisedAt, now);
        if (alert.suppressed !== true)
          outbox.addHistoryAt({ type: 'suppressed', at: e.at, alert: { ...alert, suppressed: true } });
        return;
      }
      // One message per incident (alerts grouped by root cause carry `incidentId`): the first speaks.
      const incident =
        (e as { incidentId?: unknown }).incidentId ?? (alert as { incidentId?: unknown }).incidentId;
      if (
        typeof incident === 'string' &&
        incident !== '' &&
        outbox.incidentOwner(incident, alert.id) !== alert.id
      ) {
        outbox.setFollow(alert.id, 'folded', alert, raisedAt, now);
        return;
      }
      const open = alert.active && !alert.acknowledged;
      outbox.setFollow(alert.id, open ? 'open' : 'closed', alert, raisedAt, now);
      if (open) schedule(ctx, alert, now);
      return;
    }
    if (!seen || (seen.state !== 'open' && seen.state !== 'closed')) return;
    if (alert.acknowledged || !alert.active) {
      if (seen.state === 'open') {
        outbox.setFollow(alert.id, 'closed', alert, Date.parse(alert.raisedAt), now);
        outbox.cancelFollowUps(alert.id, now);
      }
      if (!alert.active) {
        const reached = outbox.levelReached(alert.id);
        const at = Date.parse(alert.clearedAt ?? e.at);
        if (reached !== null) outbox.enqueue(planRecovery(ctx, alert, reached, at), now);
      }
    }
  }

  async function handle(events: readonly AlertEvent[]): Promise<void> {
    const ctx = context();
    if (!ctx || stopped) return;
    const now = clock();
    for (const e of events) {
      try {
        onEvent(ctx, e, now);
      } catch (err) {
        log.error({ err, alertId: e.alert?.id }, 'notification of an alert event failed');
      }
    }
    kick();
  }

  async function flushHistory(): Promise<void> {
    for (;;) {
      const batch = outbox.pendingHistory(200);
      if (batch.length === 0) return;
      try {
        await deps.store.appendAlertEvents(batch.map((b) => b.event));
      } catch (err) {
        log.warn({ err, events: batch.length }, 'notification history waits for the store');
        return;
      }
      outbox.dropHistory(batch[batch.length - 1]!.seq);
    }
  }

  async function followStore(): Promise<void> {
    if (deps.follow === false) return;
    // Until the first catch-up completes, the store's past is history, not news: it is skipped unsent.
    const primed = outbox.meta(FOLLOW_PRIMED) === '1';
    let cursor = outbox.meta(FOLLOW_CURSOR) || null;
    // A bounded catch-up per pass once primed; the first one runs to the end in one go.
    for (let pages = 0; !primed || pages < 50; pages++) {
      const got = await deps.store.alertEventsAfter(cursor, 500);
      if (got.length === 0) break;
      if (primed) await handle(got.map((g) => g.event));
      cursor = got[got.length - 1]!.id;
      outbox.setMeta(FOLLOW_CURSOR, cursor);
    }
    if (!primed) outbox.setMeta(FOLLOW_PRIMED, '1');
  }

  /** Runs `job` once at a time; a call while it runs returns the run in flight. */
  const single = (job: () => Promise<void>, what: string) => {
    let inFlight: Promise<void> | null = null;
    const run = () =>
      (inFlight ??= job()
        .catch((err: unknown) => log.error({ err }, `${what} failed`))
        .finally(() => {
          inFlight = null;
        }));
    return { run, settled: () => inFlight ?? Promise.resolve() };
  };

  // Delivery never waits on the store: a slow or stopped store delays the history, not the messages.
  const delivery = single(async () => {
    const ctx = context();
    if (ctx) {
      const now = clock();
      for (const alert of outbox.openAlerts()) schedule(ctx, alert, now);
    }
    await deliverDue({ outbox, channels, limiter, clock, log });
  }, 'notification pass');
  const history = single(flushHistory, 'storing notification history');
  const following = single(followStore, 'reading alert events');

  async function tick(): Promise<void> {
    if (stopped) return;
    await following.run();
    await delivery.run();
    await history.run();
  }
  const kick = () => {
    if (timer && !stopped) void delivery.run().then(() => history.run());
  };

  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  return {
    handle,
    isSuppressed,
    maintenance,
    tick,
    start() {
      if (timer || stopped) return;
      // Each part on its own: a store that hangs holds up following and history, never delivery.
      const every = () => {
        if (stopped) return;
        void following.run();
        void delivery.run().then(() => history.run());
      };
      timer = setInterval(every, deps.tickMs ?? 1_000);
      timer.unref();
      every();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      if (timer) clearInterval(timer);
      timer = null;
      await Promise.all([delivery.settled(), history.settled(), following.settled()]);
      outbox.close();
    },
  };
}
