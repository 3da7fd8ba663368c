/** "Notify this phone": a Web Push subscription for critical alerts, so a phone hears of one with the page closed. */
import { api, postJson } from './api.js';
import { byId } from './dom.js';
import { t } from './locale.js';

const b64ToBytes = (s: string) => {
  const raw = atob(
    s
      .replace(/-/g, '+')
      .replace(/_/g, '/')
      .padEnd(Math.ceil(s.length / 4) * 4, '='),
  );
  return Uint8Array.from(raw, (ch) => ch.charCodeAt(0));
};

export function startPushToggle(): void {
  const button = byId<HTMLButtonElement>('push-toggle');
  const note = byId('push-note');
  // Push needs a secure context (https, or localhost) and a browser that has it.
  if (!('serviceWorker' in navigator) || !('PushManager' in window) || !isSecureContext) return;
  button.hidden = false;
  let current: PushSubscription | null = null;
  const show = () => {
    button.setAttribute('aria-pressed', String(current !== null));
    button.textContent = t(current ? 'push.on' : 'push.off');
  };
  const registration = navigator.serviceWorker.register('/sw.js');
  void registration
    .then((r) => r.pushManager.getSubscription())
    .then((s) => {
      current = s;
      show();
    })
    .catch(() => show());

  button.addEventListener('click', () => {
    note.textContent = '';
    const run = async () => {
      const reg = await registration;
      if (current) {
        await postJson('/ui/push/unsubscribe', { endpoint: current.endpoint }).catch(() => undefined);
        await current.unsubscribe();
        current = null;
        return;
      }
      if ((await Notification.requestPermission()) !== 'granted') throw new Error(t('push.denied'));
      const { publicKey } = await api<{ publicKey: string }>('/ui/push/key');
      const sub = await reg.pushManager.subscribe({
        userVisibleOnly: true,
        applicationServerKey: b64ToBytes(publicKey),
      });
      await postJson('/ui/push/subscribe', sub.toJSON());
      current = sub;
    };
    button.disabled = true;
    run()
      .catch((e: unknown) => {
        note.textContent = t('push.failed', { detail: e instanceof Error ? e.message : String(e) });
      })
      .finally(() => {
        button.disabled = false;
        show();
      });
  });
}
