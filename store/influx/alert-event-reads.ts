/**
 * Reads of the append-only alert event log (measurement `alert_event`, one point per event at the µs the
 * store gave it, which is also its id): always by time range, never the whole log.
 */
import type { AlertEvent } from '../../core/alert.js';
import type { InfluxConnection } from './connection.js';
import { literal } from './influxql.js';
import { ALERT_EVENT } from './line-protocol.js';

export interface LoggedEvent {
  id: number;
  event: AlertEvent;
}

export interface EventReads {
  /** Events with an id in (after, upTo], oldest first, at most `limit`. */
  after(after: number, upTo: number, limit: number): Promise<LoggedEvent[]>;
  /** The newest event's id at or below `upTo`, or null. */
  latest(upTo: number): Promise<number | null>;
  /** The newest events with an id at or above `since`, at most `limit`, oldest first. */
  tail(since: number, limit: number): Promise<LoggedEvent[]>;
  /** The events of these alerts with an id at or above `since`, oldest first. */
  of(alertIds: readonly string[], since: number): Promise<LoggedEvent[]>;
}

/** `onRows` counts the rows read, for the log's figures. */
export function createEventReads(conn: InfluxConnection, onRows: (n: number) => void): EventReads {
  const from = conn.from(ALERT_EVENT);
  const read = async (where: string, tail = '') => {
    const series = await conn.query(`SELECT "body" FROM ${from} WHERE ${where}${tail}`, 'u');
    const rows = series.flatMap((s) => s.values);
    onRows(rows.length);
    // Points of several series (one per county): ordered here, whatever the server's merge did.
    return rows
      .map(([t, body]) => ({ id: Number(t), event: JSON.parse(String(body)) as AlertEvent }))
      .sort((a, b) => a.id - b.id);
  };
  const upper = (upTo: number) => (Number.isFinite(upTo) ? ` AND time <= ${upTo}u` : '');
  return {
    // LIMIT 0 would mean no limit to InfluxQL.
    after: async (after, upTo, limit) =>
      limit < 1
        ? []
        : read(`time > ${after}u${upper(upTo)}`, ` ORDER BY time ASC LIMIT ${Math.floor(limit)}`),
    async latest(upTo) {
      const rows = await read(`time >= 0u${upper(upTo)}`, ' ORDER BY time DESC LIMIT 1');
      return rows[0]?.id ?? null;
    },
    tail: (since, limit) => read(`time >= ${since}u`, ` ORDER BY time DESC LIMIT ${limit}`),
    async of(alertIds, since) {
      if (alertIds.length === 0) return [];
      const ids = alertIds.map((id) => `"alert_id" = ${literal(id)}`).join(' OR ');
      return read(`time >= ${since}u AND (${ids})`);
    },
  };
}
