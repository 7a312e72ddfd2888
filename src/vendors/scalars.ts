// The tolerant readers of single wire values, shared by the three mappings (as iso-date.ts is for dates). Tolerant
// because the vendors' documents drift from what their servers send (numbers as strings, ids as numbers), and a
// value that does not read is null rather than an error, so one odd field does not fail a whole record. Vendor
// field names stay in each vendor's mapping.ts: nothing here knows any.

/** A JSON object (not null, not an array): the shape every wire record and envelope must have. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export interface TextOptions {
  /**
   * Keep "" as a value instead of reading it as absent. DotZero's free-text fields (names, memos) pass an empty
   * string through as it came, while its ids and every other vendor's text read "" as nothing.
   */
  keepEmpty?: boolean;
}

/**
 * A string as sent, or a finite number written as one (ids and codes arrive as either). Not trimmed: no vendor's
 * reader ever trimmed, and a value shown back to the caller should be the vendor's own.
 */
export function readText(value: unknown, options?: TextOptions): string | null {
  // `options` has no default object: this runs for every text field of every row, and a fresh `{}` per call was
  // a visible share of a list's garbage.
  if (typeof value === 'string') return value.length > 0 || options?.keepEmpty === true ? value : null;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

export interface NumberOptions {
  /**
   * Also read the non-decimal forms Number() takes ("0x1A", "0o17", "0b11"). Generic MES has always read its
   * numeric strings with Number(), the other vendors with decimal notation only; kept apart so neither changes.
   */
  nonDecimal?: boolean;
}

const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * A finite number, from a number or a numeric string (surrounding white space allowed). Only the notation a
 * number has in JSON or JavaScript is read: "1,000" or "12abc" is null, never a guess at what was meant.
 */
export function readNumber(value: unknown, options?: NumberOptions): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string') return null;
  const s = value.trim();
  // Number('') is 0, and an empty field is no number.
  if (s === '') return null;
  if (options?.nonDecimal !== true && !DECIMAL.test(s)) return null;
  const n = Number(s);
  // Decimal notation can still overflow ("1e999"): Infinity is no more a quantity from a string than from a number.
  return Number.isFinite(n) ? n : null;
}

const TRUE_WORDS: ReadonlySet<string> = new Set(['true', '1', 'yes']);
const FALSE_WORDS: ReadonlySet<string> = new Set(['false', '0', 'no']);

/** A boolean, also from 1/0 and from "true"/"false", "1"/"0", "yes"/"no" in any case; anything else is null. */
export function readFlag(value: unknown): boolean | null {
  if (typeof value === 'boolean') return value;
  if (value === 1 || value === 0) return value === 1;
  if (typeof value === 'string') {
    const s = value.trim().toLowerCase();
    if (TRUE_WORDS.has(s)) return true;
    if (FALSE_WORDS.has(s)) return false;
  }
  return null;
}

/** What an error code read from a vendor's error body may look like; anything else may be echoed input. */
export const SAFE_CODE = /^[A-Za-z0-9_.-]{1,64}$/;

/**
 * A string from an error body only when it matches `pattern`: error bodies may echo what was sent (tokens
 * included), so free text never reaches a message.
 */
export function safeCode(value: unknown, pattern: RegExp = SAFE_CODE): string | undefined {
  return typeof value === 'string' && pattern.test(value) ? value : undefined;
}

const KEY_LIMIT = 64;

/** A caller's key as a message shows it: a key can be arbitrarily long, and the message must stay readable. */
export function shortKey(key: string): string {
  return key.length > KEY_LIMIT ? `${key.slice(0, KEY_LIMIT)}…` : key;
}
