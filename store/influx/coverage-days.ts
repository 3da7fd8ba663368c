/**
 * Daily coverage snapshots in InfluxDB: measurement `coverage_day`, tagged by level and place, stamped
 * with the day's local midnight, so the same day and place again overwrites the point. The row travels
 * as one JSON string field; `pos` keeps the registry order of the places of one day.
 */
import type { CoverageDay, HistoryLevel } from '../../core/coverage/history.js';
import type { InfluxConnection } from './connection.js';
import { ident, literal, msTime, rowsOf } from './influxql.js';
import { escapeTag, quoteField } from './line-protocol.js';
import type { LineWriter } from './writer.js';

export const COVERAGE_DAY = 'coverage_day';

export function coverageDayLine(d: CoverageDay, pos: number): string {
  const fields = [
    `body=${quoteField(JSON.stringify(d.row))}`,
    `computed=${Math.trunc(d.computedAt)}i`,
    `day=${quoteField(d.day)}`,
    `final=${d.final ? 't' : 'f'}`,
    `pos=${pos}i`,
  ].join(',');
  return `${COVERAGE_DAY},level=${escapeTag(d.level)},place=${escapeTag(d.row.id)} ${fields} ${Math.trunc(d.dayStart)}`;
}

const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v));

export function createInfluxCoverageDays(conn: InfluxConnection, writer: LineWriter) {
  const from = conn.from(COVERAGE_DAY);
  return {
    async write(days: readonly CoverageDay[]): Promise<void> {
      if (days.length === 0) return;
      await writer.write(
        days.map((d, i) => coverageDayLine(d, i)),
        'ms',
      );
    },
    async query(q: { level: HistoryLevel; from: number; to: number }): Promise<CoverageDay[]> {
      const series = await conn.query(
        `SELECT * FROM ${from} WHERE ${ident('level')} = ${literal(q.level)}
         AND time >= ${msTime(q.from)} AND time <= ${msTime(q.to)}`,
        'ms',
      );
      const out: (CoverageDay & { pos: number })[] = [];
      for (const s of series)
        for (const r of rowsOf(s))
          out.push({
            day: String(r.day),
            dayStart: num(r.time),
            level: q.level,
            row: JSON.parse(String(r.body)),
            final: r.final === true || r.final === 'true',
            computedAt: num(r.computed),
            pos: num(r.pos),
          });
      out.sort((a, b) => a.dayStart - b.dayStart || a.pos - b.pos);
      return out.map(({ pos: _p, ...d }) => d);
    },
  };
}
