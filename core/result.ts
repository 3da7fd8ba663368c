/** The result shape for input that may be bad: bad input is data, not an exception. */

export type Ok<T> = { ok: true; value: T };
export type Err<E> = { ok: false; issues: E };
export type Result<T, E = Issue[]> = Ok<T> | Err<E>;

/** One problem with an input, located by its JSON path ("devices[3].site") or flag name. */
export interface Issue {
  path: string;
  message: string;
}

export const ok = <T>(value: T): Ok<T> => ({ ok: true, value });
export const err = <E>(issues: E): Err<E> => ({ ok: false, issues });

/** Renders a zod-style path (["devices", 3, "site"]) as "devices[3].site". */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}

/** One line per issue, "path: message", for terminals and logs. */
export function formatIssues(issues: readonly Issue[]): string {
  return issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('\n');
}
