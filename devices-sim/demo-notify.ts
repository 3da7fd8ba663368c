/** The demo registry's `notify` section: every alert goes to the platform's own inbox page (/demo/inbox). */
import type { NotifySection } from '../core/notify/schema.js';
import { DEMO_INBOX_HOOK } from '../notify/demo-inbox.js';

/**
 * A webhook pointed at the platform itself, so a newcomer sees notifications arrive without any account
 * anywhere. Real deployments replace it with WeCom, DingTalk, Feishu, e-mail or SMS channels.
 */
export function demoNotify(): NotifySection {
  return {
    channels: [{ id: 'demo-inbox', type: 'webhook', url: DEMO_INBOX_HOOK }],
    routes: [
      { id: 'county-duty', targets: [{ channel: 'demo-inbox' }], recovery: true },
      { id: 'prefecture-duty', level: 'prefecture', targets: [{ channel: 'demo-inbox' }] },
    ],
    escalation: { repeatAfter: '30m', escalateAfter: '1h', maxRepeats: 2 },
    demoInbox: true,
  };
}
