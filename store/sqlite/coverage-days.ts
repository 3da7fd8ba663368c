/** Daily coverage snapshots in the embedded store: one row per level, local day and place, the row as JSON. */
import type Database from 'better-sqlite3';
import type { CoverageDay, HistoryLevel } from '../../core/coverage/history.js';

export interface CoverageDaysTable {
  write(days: readonly CoverageDay[]): void;
  query(q: { level: HistoryLevel; from: number; to: number }): CoverageDay[];
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS coverage_days (
    level TEXT NOT NULL,
    day_start INTEGER NOT NULL,
    place TEXT NOT NULL,
    pos INTEGER NOT NULL,
    day TEXT NOT NULL,
    final INTEGER NOT NULL,
    computed_at INTEGER NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (level, day_start, place)
  ) WITHOUT ROWID;
`;

interface Row {
  level: HistoryLevel;
  day_start: number;
  day: string;
  final: number;
  computed_at: number;
  body: string;
}

export function createCoverageDaysTable(db: Database.Database): CoverageDaysTable {
  db.exec(SCHEMA);
  const upsert = db.prepare(
    `INSERT OR REPLACE INTO coverage_days (level, day_start, place, pos, day, final, computed_at, body)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const writeAll = db.transaction((days: readonly CoverageDay[]) => {
    for (const [i, d] of days.entries())
      upsert.run(
        d.level,
        d.dayStart,
        d.row.id,
        i,
        d.day,
        d.final ? 1 : 0,
        d.computedAt,
        JSON.stringify(d.row),
      );
  });
  const select = db.prepare<[string, number, number], Row>(
    `SELECT level, day_start, day, final, computed_at, body FROM coverage_days
     WHERE level = ? AND day_start >= ? AND day_start <= ? ORDER BY day_start, pos`,
  );
  return {
    write: (days) => writeAll(days),
    query: ({ level, from, to }) =>
      select.all(level, from, to).map((r) => ({
        day: r.day,
        dayStart: r.day_start,
        level: r.level,
        row: JSON.parse(r.body),
        final: r.final === 1,
        computedAt: r.computed_at,
      })),
  };
}
