/** The client entry: checks the session, fills the header, and starts the page the server rendered. */

import { startAlertsPage } from './alerts-page.js';
import { api } from './api.js';
import { startCoveragePage } from './coverage-page.js';
import { startDevicesPage } from './devices-page.js';
import { byId } from './dom.js';
import { startInboxPage } from './inbox-page.js';
import { t } from './locale.js';
import { startMaintenancePage } from './maintenance-page.js';
import { forget, homeOf, type Session, saveSession, storedKey, storedSession, toSignIn } from './session.js';
import { startSignInPage } from './sign-in-page.js';

async function main(): Promise<void> {
  const page = document.body.dataset.page;
  if (page === 'sign-in') {
    const session = storedSession();
    // Already signed in in this tab: straight on, unless sent here to sign in again.
    if (session && storedKey() && !new URLSearchParams(location.search).has('next'))
      location.replace(homeOf(session));
    else startSignInPage();
    return;
  }
  const key = storedKey();
  if (!key) return toSignIn();
  // The stored session is used at once; the server's answer replaces it (the registry may have changed).
  let session = storedSession();
  const fresh = api<Session>('/ui/session').then((s) => {
    saveSession(key, s);
    return s;
  });
  if (!session) session = await fresh;
  else void fresh.catch(() => {});

  byId('who').textContent = t('nav.signedIn', { id: session.keyId, role: t(`role.${session.role}`) });
  byId('sign-out').addEventListener('click', () => {
    forget();
    location.assign('/');
  });
  if (page === 'alerts') startAlertsPage(session);
  else if (page === 'devices') startDevicesPage(session);
  else if (page === 'coverage') startCoveragePage(session);
  else if (page === 'maintenance') startMaintenancePage(session);
  else if (page === 'inbox') startInboxPage();
}

document.addEventListener('DOMContentLoaded', () => {
  main().catch((e: unknown) => {
    const main = document.getElementById('main');
    if (main)
      main.prepend(
        Object.assign(document.createElement('p'), { className: 'error', textContent: String(e) }),
      );
  });
});
