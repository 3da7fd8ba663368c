/**
 * Writes the state points (alert-state.ts) of an alert log kept before they existed, once: the only
 * read of the whole log, a chunk at a time in stored order, in bounded memory. A marker point
 * (measurement `alert_log`) says it is done; each start-up writes it anew at its own time, so a finite
 * retention policy that drops an old marker only makes a later start-up rebuild again (the same points).
 */
import type { EventReads } from './alert-event-reads.js';
import { stateChanges } from './alert-state.js';
import type { InfluxConnection } from './connection.js';
import { createHeldAlerts } from './held-alerts.js';
import { ALERT_EVENT } from './line-protocol.js';
import type { LineWriter } from './writer.js';

export const ALERT_LOG_MARKER = 'alert_log';
/** Events read per request: a few MB of JSON. */
const CHUNK = 5_000;

/** Returns how many events were replayed into state points (0 when the marker was there). */
export async function ensureAlertStates(
  conn: InfluxConnection,
  writer: LineWriter,
  events: EventReads,
  opts: { heldAlerts: number; nowUs: number; onRows: (n: number) => void },
): Promise<number> {
  const [marker, log] = await conn.queryMany(
    [
      `SELECT * FROM ${conn.from(ALERT_LOG_MARKER)} LIMIT 1`,
      `SELECT "type" FROM ${conn.from(ALERT_EVENT)} LIMIT 1`,
    ],
    'u',
  );
  opts.onRows((marker ?? []).concat(log ?? []).reduce((n, x) => n + x.values.length, 0));
  let replayed = 0;
  if (marker?.length === 0 && (log?.length ?? 0) > 0) {
    const held = createHeldAlerts(opts.heldAlerts);
    let after = 0;
    for (;;) {
      const page = await events.after(after, Number.POSITIVE_INFINITY, CHUNK);
      const { lines, states } = stateChanges(
        page.map((p) => p.event),
        (id) => held.get(id),
      );
      await writer.write(lines, 'us');
      for (const a of states) held.put(a);
      replayed += page.length;
      const last = page.at(-1);
      if (page.length < CHUNK || !last) break;
      after = last.id;
    }
  }
  await writer.write([`${ALERT_LOG_MARKER} states=true ${opts.nowUs}`], 'us');
  return replayed;
}
