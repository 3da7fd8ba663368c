/** The resolve dialog: a required note, sent to POST /api/v1/alerts/{id}/resolve to end an alert by hand. */
import type { Alert } from './alert-model.js';
import { ruleName } from './alert-text.js';
import { postJson } from './api.js';
import { byId } from './dom.js';
import { t } from './locale.js';

export function createResolveDialog(onResolved: (a: Alert) => void): { open(a: Alert): void } {
  const dialog = byId<HTMLDialogElement>('resolve-dialog');
  const form = byId<HTMLFormElement>('resolve-form');
  const note = byId<HTMLTextAreaElement>('resolve-note');
  const error = byId('resolve-error');
  const summary = byId('resolve-summary');
  const submit = byId<HTMLButtonElement>('resolve-submit');
  let current: Alert | null = null;

  byId('resolve-cancel').addEventListener('click', () => dialog.close());
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (!current) return;
    const alert = current;
    const text = note.value.trim();
    // The API requires the note too; saying so here saves a round trip and keeps the dialog open.
    if (!text) {
      error.textContent = t('resolve.required');
      note.focus();
      return;
    }
    submit.disabled = true;
    error.textContent = '';
    postJson<Alert>(`/api/v1/alerts/${encodeURIComponent(alert.id)}/resolve`, { note: text })
      .then((resolved) => {
        // Closed first: closing moves focus back to the opener, which the update then replaces.
        dialog.close();
        onResolved(resolved);
      })
      .catch((err: unknown) => {
        error.textContent = t('resolve.failed', { detail: err instanceof Error ? err.message : String(err) });
      })
      .finally(() => {
        submit.disabled = false;
      });
  });

  return {
    open(a) {
      current = a;
      note.value = '';
      error.textContent = '';
      summary.textContent = `${ruleName(a.ruleId)} · ${a.deviceId}`;
      dialog.showModal();
      note.focus();
    },
  };
}
