/** The demo inbox: the notifications the demo registry's webhook delivered, newest first, refreshed often. */
import { api } from './api.js';
import { byId, fill, h } from './dom.js';
import { fmtTime } from './format.js';
import { t } from './locale.js';

interface InboxMessage {
  receivedAt: string;
  id: string;
  title: string;
  text: string;
  link: string;
}

const REFRESH_MS = 2_000;

export function startInboxPage(): void {
  const list = byId('inbox-list');
  const count = byId('inbox-count');
  let last = '';
  const load = async () => {
    const { items } = await api<{ items: InboxMessage[] }>('/demo/inbox/messages');
    const sig = items.map((m) => m.id).join();
    if (sig === last) return;
    last = sig;
    count.textContent = t('inbox.count', { n: items.length });
    if (items.length === 0) {
      fill(list, h('li', { class: 'muted' }, t('inbox.empty')));
      return;
    }
    fill(
      list,
      items.map((m) =>
        h(
          'li',
          { class: 'card' },
          h('strong', {}, m.title),
          h('div', { class: 'muted' }, fmtTime(m.receivedAt)),
          h('pre', {}, m.text),
          m.link
            ? h('a', { href: new URL(m.link).hash ? `/alerts${new URL(m.link).hash}` : m.link }, m.link)
            : null,
        ),
      ),
    );
  };
  const tick = () => load().catch(() => {});
  void tick();
  setInterval(tick, REFRESH_MS);
}
