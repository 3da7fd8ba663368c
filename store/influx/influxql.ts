/** InfluxQL text helpers and the shape of a `/query` response (InfluxDB 1.x HTTP API; also served by 2.x and 3.x). */

/** An identifier in double quotes, so keywords such as `type` and names with dashes are safe. */
export const ident = (s: string): string => `"${s.replace(/[\\"]/g, '\\$&')}"`;

/** A string literal in single quotes. */
export const literal = (s: string): string => `'${s.replace(/[\\']/g, '\\$&')}'`;

/** An epoch-ms instant as an InfluxQL time literal (an integer is nanoseconds; a `ms` suffix makes it ms). */
export const msTime = (ms: number): string => `${Math.trunc(ms)}ms`;

export interface Series {
  name: string;
  tags?: Record<string, string>;
  columns: string[];
  values: unknown[][];
}

export interface QueryResponse {
  results?: { statement_id?: number; error?: string; series?: Series[] }[];
  error?: string;
}

/** Rows of a series as objects keyed by column, so callers do not depend on column order. */
export function rowsOf(series: Series): Record<string, unknown>[] {
  return series.values.map((v) => Object.fromEntries(series.columns.map((c, i) => [c, v[i]])));
}
