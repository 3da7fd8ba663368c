/// <reference lib="webworker" />
/** The service worker: shows a pushed critical alert with the page closed, and opens it on a tap. */

declare const self: ServiceWorkerGlobalScope;

interface Payload {
  alertId: string;
  severity: string;
  countyId: string;
  siteId: string;
  ruleId: string;
  message: string;
  url: string;
}

self.addEventListener('push', (event) => {
  let p: Payload | null = null;
  try {
    p = event.data?.json() as Payload;
  } catch {
    p = null;
  }
  if (!p) return;
  const zh = (self.navigator.language || '').toLowerCase().startsWith('zh');
  const title = zh
    ? `严重告警 · ${p.countyId} · ${p.siteId}`
    : `Critical alert · ${p.countyId} · ${p.siteId}`;
  event.waitUntil(
    self.registration.showNotification(title, {
      body: p.message,
      // One notification per alert: a repeat replaces it rather than stacking.
      tag: p.alertId,
      requireInteraction: p.severity === 'critical',
      data: { url: p.url },
    }),
  );
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const url = new URL((event.notification.data as { url?: string })?.url ?? '/alerts', self.location.origin);
  // Only this site's pages: the payload cannot send the phone elsewhere.
  if (url.origin !== self.location.origin) return;
  event.waitUntil(
    self.clients.matchAll({ type: 'window' }).then((list) => {
      const open = list.find((c) => new URL(c.url).pathname === url.pathname);
      if (open) return open.navigate(url.href).then((c) => c?.focus());
      return self.clients.openWindow(url.href);
    }),
  );
});
