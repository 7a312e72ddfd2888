// The one strict reading of vendor dates, shared by the three mappings: ISO 8601 (or epoch milliseconds), with
// impossible dates refused and zone-less times taken as UTC, so nothing depends on the gateway host's time zone.

const ISO_DATE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*([Zz]|[+-]\d{2}(?::?\d{2})?)?$/;

/**
 * Reads an ISO 8601 date strictly. Date.parse alone is not enough: it rolls "2022-02-30" over into March and
 * accepts engine-specific forms. A time without a zone is taken as UTC, the zone the document's format names
 * (YYYY-MM-DDThh:mm:ssZ), so the result does not depend on the gateway host's time zone. Epoch milliseconds are
 * accepted too. Anything else is null.
 */
export function parseIsoDate(v: unknown): Date | null {
  const t = parseIsoInstant(v);
  return t === null ? null : new Date(t);
}

/**
 * The same reading as parseIsoDate, as epoch milliseconds: what the mappings keep (the domain's Instant), since a
 * Date per field of every listed row cost far more than reading the text.
 */
export function parseIsoInstant(v: unknown): number | null {
  // Every list row carries several dates, so the common exact form is read without a regex (same result, checked
  // against the general reading in test/unit/iso-date.test.ts); anything else takes the general reading.
  if (typeof v === 'string') {
    const t = canonicalUtc(v);
    if (t !== undefined) return t;
  }
  return readIsoTime(v);
}

/** Two ASCII digits at i as a number, or -1. */
function twoDigits(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/**
 * `YYYY-MM-DDThh:mm:ssZ` or `YYYY-MM-DDThh:mm:ss.sssZ` (years 1000-9999): its time value, null for an impossible
 * date, undefined for any other form.
 */
function canonicalUtc(v: string): number | null | undefined {
  const n = v.length;
  if (n !== 20 && n !== 24) return undefined;
  // - - T : : Z (and the dot of the milliseconds)
  if (
    v.charCodeAt(4) !== 45 ||
    v.charCodeAt(7) !== 45 ||
    v.charCodeAt(10) !== 84 ||
    v.charCodeAt(13) !== 58 ||
    v.charCodeAt(16) !== 58 ||
    v.charCodeAt(n - 1) !== 90 ||
    (n === 24 && v.charCodeAt(19) !== 46)
  )
    return undefined;
  const c = twoDigits(v, 0);
  const y = twoDigits(v, 2);
  const month = twoDigits(v, 5);
  const day = twoDigits(v, 8);
  const hour = twoDigits(v, 11);
  const minute = twoDigits(v, 14);
  const second = twoDigits(v, 17);
  let ms = 0;
  if (n === 24) {
    const hi = twoDigits(v, 20);
    const lo = v.charCodeAt(22) - 48;
    if (hi < 0 || lo < 0 || lo > 9) return undefined;
    ms = hi * 10 + lo;
  }
  if (c < 10 || y < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) return undefined;
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null;
  const year = c * 100 + y;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const daysInMonth =
    month === 2 ? (leap ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  if (day > daysInMonth) return null;
  return Date.UTC(year, month - 1, day, hour, minute, second, ms);
}

/** The general reading: every form the pattern allows, and epoch milliseconds. */
export function readIsoDate(v: unknown): Date | null {
  const t = readIsoTime(v);
  return t === null ? null : new Date(t);
}

/** The general reading as epoch milliseconds. */
function readIsoTime(v: unknown): number | null {
  if (typeof v === 'number') {
    // A Date's own clipping (whole milliseconds, the Date range), as `new Date(v)` reads a number.
    const t = Number.isFinite(v) ? new Date(v).getTime() : NaN;
    return Number.isNaN(t) ? null : t;
  }
  if (typeof v !== 'string') return null;
  const m = ISO_DATE.exec(v.trim());
  if (!m) return null;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > daysInMonth) return null;
  let offsetMinutes = 0;
  if (zone !== undefined && zone.toUpperCase() !== 'Z') {
    const digits = zone.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2));
    const om = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
    if (oh > 23 || om > 59) return null;
    offsetMinutes = (zone.startsWith('-') ? -1 : 1) * (oh * 60 + om);
  }
  const ms = Number(frac.padEnd(3, '0').slice(0, 3));
  const utc = new Date(0);
  // setUTCFullYear keeps years 0-99 literal (Date.UTC would read them as 1900-1999).
  utc.setUTCFullYear(year, month - 1, day);
  utc.setUTCHours(hour, minute, second, ms);
  const time = utc.getTime() - offsetMinutes * 60_000;
  return Number.isNaN(time) ? null : time;
}
