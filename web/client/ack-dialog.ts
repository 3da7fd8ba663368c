/**
 * The note dialogs of an alert: acknowledge (an optional note, POST /api/v1/alerts/{id}/ack) and resolve
 * (a required note, POST /api/v1/alerts/{id}/resolve to end it by hand). One dialog element each, its
 * ids prefixed by the action (`ack-form`, `resolve-note`...).
 */
import type { Alert } from './alert-model.js';
import { ruleName } from './alert-text.js';
import { postJson } from './api.js';
import { byId } from './dom.js';
import { t } from './locale.js';

type Action = 'ack' | 'resolve';

function createNoteDialog(action: Action, onDone: (a: Alert) => void): { open(a: Alert): void } {
  const dialog = byId<HTMLDialogElement>(`${action}-dialog`);
  const form = byId<HTMLFormElement>(`${action}-form`);
  const note = byId<HTMLTextAreaElement>(`${action}-note`);
  const error = byId(`${action}-error`);
  const summary = byId(`${action}-summary`);
  const submit = byId<HTMLButtonElement>(`${action}-submit`);
  let current: Alert | null = null;

  byId(`${action}-cancel`).addEventListener('click', () => dialog.close());
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (!current) return;
    const alert = current;
    const text = note.value.trim();
    // The API requires a resolve's note too; saying so here saves a round trip and keeps the dialog open.
    if (action === 'resolve' && !text) {
      error.textContent = t('resolve.required');
      note.focus();
      return;
    }
    submit.disabled = true;
    error.textContent = '';
    postJson<Alert>(`/api/v1/alerts/${encodeURIComponent(alert.id)}/${action}`, text ? { note: text } : {})
      .then((updated) => {
        // Closed first: closing moves focus back to the opener, which the update then replaces.
        dialog.close();
        onDone(updated);
      })
      .catch((err: unknown) => {
        error.textContent = t(`${action}.failed`, {
          detail: err instanceof Error ? err.message : String(err),
        });
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

export const createAckDialog = (onAcknowledged: (a: Alert) => void) =>
  createNoteDialog('ack', onAcknowledged);
export const createResolveDialog = (onResolved: (a: Alert) => void) =>
  createNoteDialog('resolve', onResolved);
