/** A tiny element builder: text always goes in as text nodes, so data from the API can never become markup. */

type Attr = string | number | boolean | undefined | null;
export type Attrs = Record<string, Attr | ((e: Event) => void)>;
export type Kid = Node | string | number | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...kids: (Kid | Kid[])[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (typeof value === 'function') el.addEventListener(name.replace(/^on/, ''), value);
    else if (value === true) el.setAttribute(name, '');
    else if (value !== false && value !== undefined && value !== null) el.setAttribute(name, String(value));
  }
  append(el, kids.flat());
  return el;
}

export function append(el: Element, kids: Kid[]): void {
  for (const kid of kids) {
    if (kid === null || kid === undefined || kid === false) continue;
    el.append(typeof kid === 'number' ? String(kid) : kid);
  }
}

/** Replaces an element's children. */
export function fill(el: Element, ...kids: (Kid | Kid[])[]): void {
  el.replaceChildren();
  append(el, kids.flat());
}

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`the page has no #${id}`);
  return el as T;
}
