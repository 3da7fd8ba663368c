/** The sign-in form: checks the key against the server, keeps it for this tab, goes to the role's page. */
import { ApiError, api } from './api.js';
import { byId } from './dom.js';
import { t } from './locale.js';
import { homeOf, type Session, saveSession, takeSignInReason } from './session.js';

export function startSignInPage(): void {
  const form = byId<HTMLFormElement>('sign-in-form');
  const input = byId<HTMLInputElement>('api-key');
  const error = byId('sign-in-error');
  if (takeSignInReason() === 'expired') error.textContent = t('signin.expired');
  input.focus();

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const key = input.value.trim();
    if (!key) {
      error.textContent = t('signin.bad');
      input.focus();
      return;
    }
    const button = form.querySelector('button[type="submit"]') as HTMLButtonElement;
    button.disabled = true;
    error.textContent = '';
    api<Session>('/ui/session', {}, key)
      .then((session) => {
        saveSession(key, session);
        location.assign(safeNext() ?? homeOf(session));
      })
      .catch((err: unknown) => {
        error.textContent =
          err instanceof ApiError && err.status === 401
            ? t('signin.bad')
            : t('signin.unreachable', { detail: err instanceof Error ? err.message : String(err) });
        input.select();
      })
      .finally(() => {
        button.disabled = false;
      });
  });
}

/** Only a path on this site: `?next=https://elsewhere` must not turn sign-in into an open redirect. */
function safeNext(): string | null {
  const next = new URLSearchParams(location.search).get('next');
  if (!next?.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return null;
  return next;
}
