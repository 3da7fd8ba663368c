/** The acknowledge dialog: an optional note, sent to POST /api/v1/alerts/{id}/ack. */
import type { Alert } from './alert-model.js';
import { ruleName } from './alert-text.js';
import { postJson } from './api.js';
import { byId } from './dom.js';
import { t } from './locale.js';

export function createAckDialog(onAcknowledged: (a: Alert) => void): { open(a: Alert): void } {
  const dialog = byId<HTMLDialogElement>('ack-dialog');
  const form = byId<HTMLFormElement>('ack-form');
  const note = byId<HTMLTextAreaElement>('ack-note');
  const error = byId('ack-error');
  const summary = byId('ack-summary');
  const submit = byId<HTMLButtonElement>('ack-submit');
  let current: Alert | null = null;

  byId('ack-cancel').addEventListener('click', () => dialog.close());
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (!current) return;
    const alert = current;
    const text = note.value.trim();
    submit.disabled = true;
    error.textContent = '';
    postJson<Alert>(`/api/v1/alerts/${encodeURIComponent(alert.id)}/ack`, text ? { note: text } : {})
      .then((acked) => {
        // Closed first: closing moves focus back to the opener, which the update then replaces.
        dialog.close();
        onAcknowledged(acked);
      })
      .catch((err: unknown) => {
        error.textContent = t('ack.failed', { detail: err instanceof Error ? err.message : String(err) });
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
