/** "Jump to" on the coverage page: one option per row shown, scrolling to it and moving focus there. */
import { byId, h } from './dom.js';

export function startCoverageJump(): void {
  const select = byId<HTMLSelectElement>('coverage-jump');
  const table = byId('coverage-table');
  const first = select.options[0]!;

  // The table is re-rendered on every change of grouping or window: follow its rows.
  const refill = () => {
    const rows = [...table.querySelectorAll<HTMLTableRowElement>('tr[data-row]')];
    const options = rows.map((r) =>
      h('option', { value: r.dataset.row ?? '' }, r.querySelector('th')?.textContent ?? r.dataset.row ?? ''),
    );
    select.replaceChildren(first, ...options);
    select.value = '';
  };
  new MutationObserver(refill).observe(table, { childList: true });
  refill();

  select.addEventListener('change', () => {
    const row = table.querySelector<HTMLTableRowElement>(`tr[data-row="${CSS.escape(select.value)}"]`);
    if (!row) return;
    const head = row.querySelector<HTMLElement>('th') ?? row;
    head.tabIndex = -1;
    // The row, not its heading: the row's scroll margin keeps it clear of the sticky jump bar.
    row.scrollIntoView({ block: 'start' });
    // Focus for keyboards and screen readers, without a second scroll.
    head.focus({ preventScroll: true });
  });
}
