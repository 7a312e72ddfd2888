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
  if (typeof v === 'number') {
    const d = new Date(v);
    return Number.isFinite(v) && !Number.isNaN(d.getTime()) ? d : null;
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
  return Number.isNaN(time) ? null : new Date(time);
}
