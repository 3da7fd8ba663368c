/** The sign-in forms: a person's name and password (session cookie), or an API key kept for this tab. */
import { ApiError, api } from './api.js';
import { byId } from './dom.js';
import { t } from './locale.js';
import { homeOf, type Session, saveSession, takeSignInReason } from './session.js';

export function startSignInPage(): void {
  const error = byId('person-error');
  if (takeSignInReason() === 'expired') error.textContent = t('signin.expired');
  const name = byId<HTMLInputElement>('user-name');
  name.focus();

  submitting(byId<HTMLFormElement>('person-form'), error, async () => {
    const password = byId<HTMLInputElement>('password');
    if (!name.value.trim() || !password.value) throw new ApiError(401, 'empty');
    await api('/ui/sign-in', {
      method: 'POST',
      body: JSON.stringify({ name: name.value.trim(), password: password.value }),
    });
    const session = await api<Session>('/ui/session', {}, null);
    saveSession(null, session);
    return session;
  });

  const keyError = byId('sign-in-error');
  const input = byId<HTMLInputElement>('api-key');
  submitting(byId<HTMLFormElement>('sign-in-form'), keyError, async () => {
    const key = input.value.trim();
    if (!key) throw new ApiError(401, 'empty');
    const session = await api<Session>('/ui/session', {}, key);
    saveSession(key, session);
    return session;
  });
}

function submitting(form: HTMLFormElement, error: HTMLElement, signIn: () => Promise<Session>): void {
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const button = form.querySelector('button[type="submit"]') as HTMLButtonElement;
    button.disabled = true;
    error.textContent = '';
    signIn()
      .then((session) => location.assign(safeNext() ?? homeOf(session)))
      .catch((err: unknown) => {
        const status = err instanceof ApiError ? err.status : 0;
        error.textContent =
          status === 401
            ? t(form.id === 'person-form' ? 'signin.badPassword' : 'signin.bad')
            : status === 429
              ? t('signin.tooMany')
              : t('signin.unreachable', { detail: err instanceof Error ? err.message : String(err) });
        (form.querySelector('input[type="password"]') as HTMLInputElement | null)?.select();
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
