/** The client entry: checks the session, fills the header, and starts the page the server rendered. */

import { startAlertsPage } from './alerts-page.js';
import { api, postJson } from './api.js';
import { startCoverageJump } from './coverage-jump.js';
import { startCoveragePage } from './coverage-page.js';
import { startDevicesPage } from './devices-page.js';
import { byId } from './dom.js';
import { startInboxPage } from './inbox-page.js';
import { t } from './locale.js';
import { startMaintenancePage } from './maintenance-page.js';
import { startSchematicPage } from './schematic-page.js';
import { forget, homeOf, type Session, saveSession, storedKey, storedSession, toSignIn } from './session.js';
import { startSignInPage } from './sign-in-page.js';

async function main(): Promise<void> {
  const page = document.body.dataset.page;
  if (page === 'sign-in') {
    // Already signed in (this tab's key, or a person's cookie from another tab): straight on, unless
    // sent here to sign in again.
    if (!new URLSearchParams(location.search).has('next')) {
      const session = await currentSession().catch(() => null);
      if (session) return location.replace(homeOf(session));
    }
    startSignInPage();
    return;
  }
  // The stored session is used at once; the server's answer replaces it (the registry may have changed).
  // With no key in this tab the person's cookie is asked: a new tab or a phone's reload stays signed in.
  let session = storedSession();
  const fresh = currentSession();
  if (!session) session = await fresh.catch(() => null);
  else void fresh.catch(() => {});
  if (!session) return toSignIn();

  byId('who').textContent = t('nav.signedIn', { id: session.keyId, role: t(`role.${session.role}`) });
  byId('sign-out').addEventListener('click', () => void signOut('/ui/sign-out'));
  const everywhere = byId<HTMLButtonElement>('sign-out-everywhere');
  everywhere.hidden = !session.person;
  everywhere.addEventListener('click', () => void signOut('/ui/sign-out-everywhere'));
  if (page === 'alerts') startAlertsPage(session);
  else if (page === 'devices') startDevicesPage(session);
  else if (page === 'schemes') startSchematicPage(session);
  else if (page === 'coverage') {
    startCoveragePage(session);
    startCoverageJump();
  } else if (page === 'maintenance') startMaintenancePage(session);
  else if (page === 'inbox') startInboxPage();
}

/** What the server says this tab may do: with its key, else with the person's session cookie. */
async function currentSession(): Promise<Session> {
  const key = storedKey();
  const s = await api<Session>('/ui/session', {}, key);
  saveSession(key, s);
  return s;
}

/** Ends the cookie session (or every session of the person) on the server, then forgets the tab's key. */
async function signOut(path: string): Promise<void> {
  const person = storedSession()?.person;
  if (person) await postJson(path, {}).catch(() => undefined);
  forget();
  location.assign('/');
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
