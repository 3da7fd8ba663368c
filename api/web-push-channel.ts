/** A notification channel over Web Push (RFC 8030, VAPID RFC 8292, aes128gcm RFC 8291): critical alerts to phones with the page closed. */
import type { Agent } from 'node:https';
import type { Logger } from 'pino';
import webpush from 'web-push';
import type { AlertEvent } from '../core/alert.js';
import type { PushSubscriptions } from './push-subscriptions.js';

export interface VapidKeys {
  publicKey: string;
  privateKey: string;
  /** RFC 8292 §2.1: a mailto: or https: contact for the push service's operator. */
  subject: string;
}

export interface WebPushChannelDeps {
  vapid: VapidKeys;
  subscriptions: PushSubscriptions;
  log?: Logger;
  /** Per request; a push service that does not answer must not hold the others up. */
  timeoutMs?: number;
  /** For a push relay on a closed network signed by a private CA (`new https.Agent({ ca })`). */
  agent?: Agent;
}

export interface PushResult {
  sent: number;
  failed: number;
  /** Subscriptions the push service says are gone (404/410), removed. */
  removed: number;
}

export interface WebPushChannel {
  /** Notifies every subscription that hears the alert's county. */
  send(event: AlertEvent): Promise<PushResult>;
}

/** What the service worker shows: small, no secrets, enough to open the right alert. */
export interface PushPayload {
  alertId: string;
  type: AlertEvent['type'];
  severity: string;
  countyId: string;
  siteId: string;
  ruleId: string;
  message: string;
  url: string;
}

// RFC 8030 §5.2: how long the push service keeps it for a phone that is off; an alert a day old is history.
const TTL_S = 24 * 3600;

export function createWebPushChannel(deps: WebPushChannelDeps): WebPushChannel {
  const { vapid } = deps;
  return {
    async send(event) {
      const a = event.alert;
      const payload: PushPayload = {
        alertId: a.id,
        type: event.type,
        severity: a.severity,
        countyId: a.countyId,
        siteId: a.siteId,
        ruleId: a.ruleId,
        message: a.message,
        url: `/alerts#alert=${encodeURIComponent(a.id)}`,
      };
      const body = JSON.stringify(payload);
      const result: PushResult = { sent: 0, failed: 0, removed: 0 };
      await Promise.all(
        deps.subscriptions.forCounty(a.countyId).map(async (target) => {
          try {
            await webpush.sendNotification(target.subscription, body, {
              vapidDetails: vapid,
              TTL: TTL_S,
              // RFC 8030 §5.3: "high" wakes a sleeping phone, which a critical alert should.
              urgency: a.severity === 'critical' ? 'high' : 'normal',
              timeout: deps.timeoutMs ?? 10_000,
              ...(deps.agent ? { agent: deps.agent } : {}),
            });
            result.sent++;
          } catch (e) {
            const status = (e as { statusCode?: number }).statusCode;
            // RFC 8030 §7.3: 404/410 mean the subscription expired or was withdrawn.
            if (status === 404 || status === 410) {
              deps.subscriptions.remove(target.subscription.endpoint);
              result.removed++;
            } else {
              result.failed++;
              deps.log?.warn({ status, owner: target.owner, alertId: a.id }, 'web push failed');
            }
          }
        }),
      );
      return result;
    },
  };
}

/** A new VAPID key pair (P-256), base64url. */
export function generateVapidKeys(subject: string): VapidKeys {
  return { ...webpush.generateVAPIDKeys(), subject };
}
