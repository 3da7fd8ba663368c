/** One `wl/v1/{deviceId}/errors` message per rejected telemetry message, its bad items listed by index. */
import type { Rejection } from './reading.js';
import type { ErrorPayload } from './topics.js';

/** Items listed in one report: a 1,000-Reading array of bad items must not become a 1,000-line echo. */
export const MAX_LISTED = 20;
/** Echoed device input (a `ts` string, a field name inside an error) is cut to this many characters. */
export const MAX_ECHO = 64;

/** A device's own text, cut to a short prefix so an error report cannot amplify what it was sent. */
export function cutEcho(text: string, max = MAX_ECHO): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}

const cutQuoted = (message: string) =>
  message.replace(/"([^"]*)"/g, (_, inner: string) => `"${cutEcho(inner)}"`);

function item(r: Rejection): Omit<ErrorPayload, 'at'> {
  const out: Omit<ErrorPayload, 'at'> = { error: cutQuoted(r.error) };
  if (r.path !== undefined) out.path = cutEcho(r.path);
  if (r.seq !== undefined) out.seq = r.seq;
  if (r.ts !== undefined) out.ts = typeof r.ts === 'string' ? cutEcho(r.ts) : r.ts;
  return out;
}

/**
 * The report for one message: a single rejection keeps the flat shape of CONTRACT §3 (`error`, `path`,
 * `seq`, `ts`); several carry the first as the headline, how many there were, and up to MAX_LISTED of
 * them in `items` (each with its `path`, which starts with the item's index, e.g. `[3].values.ph`).
 * `null` when nothing was rejected.
 */
export function errorReport(rejections: readonly Rejection[], at: number): ErrorPayload | null {
  const first = rejections[0];
  if (first === undefined) return null;
  const head = { ...item(first), at: new Date(at).toISOString() };
  if (rejections.length === 1) return head;
  return {
    ...head,
    error: `${rejections.length} Readings rejected; first: ${head.error}`,
    rejected: rejections.length,
    items: rejections.slice(0, MAX_LISTED).map(item),
  };
}
