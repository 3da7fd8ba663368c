/** Time parsing shared by Readings and API queries: RFC 3339 with an offset, or epoch milliseconds. */

/** RFC 3339 §5.6 date-time; the offset is mandatory, so a local time can never be misread. */
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;

/** Epoch ms from an RFC 3339 string with offset, or `null` when it is not one or names no real instant. */
export function parseRfc3339(text: string): number | null {
  const m = RFC3339.exec(text);
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m.map(Number) as number[] as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  // Date.parse rolls 2026-02-30 over into March; a field device sending that has a broken clock.
  const check = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return null;
  const ms = Date.parse(text.replace(' ', 'T'));
  return Number.isFinite(ms) ? ms : null;
}

/** An API time parameter: RFC 3339 or an integer of epoch milliseconds. */
export function parseTime(text: string): number | null {
  if (/^\d{1,15}$/.test(text)) return Number(text);
  return parseRfc3339(text);
}

/** `<n>s`, `<n>m`, `<n>h` or `<n>d` (CONTRACT §7) as milliseconds; `null` when malformed or zero. */
export function parseDuration(text: string): number | null {
  const m = /^(\d{1,9})([smhd])$/.exec(text);
  if (!m) return null;
  const n = Number(m[1]);
  if (n === 0) return null;
  const unit = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 's' | 'm' | 'h' | 'd'];
  return n * unit;
}

/** Milliseconds as an RFC 3339 UTC string, the API's time format (CONTRACT §4). */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}
