// Connection cursors hold a position in one particular list: which upstream segment and the offset in it, plus a
// fingerprint of the query, so a cursor handed to another query (or another filter) is refused, not misread.
import { createHash } from 'node:crypto';
import { ValidationError } from './errors.js';

export interface Position {
  segment: number;
  offset: number;
}

export function fingerprint(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('base64url').slice(0, 12);
}

export function encodeCursor(list: string, fp: string, pos: Position): string {
  return Buffer.from(JSON.stringify([list, fp, pos.segment, pos.offset]), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string, list: string, fp: string, segments: number): Position {
  const bad = (why: string) => new ValidationError(`Invalid cursor in "after": ${why}`, 'after');
  let parsed: unknown;
  try {
    if (!/^[A-Za-z0-9_-]{1,400}$/.test(cursor)) throw new Error();
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw bad('not a cursor of this gateway');
  }
  if (!Array.isArray(parsed) || parsed.length !== 4) throw bad('not a cursor of this gateway');
  const [l, f, segment, offset] = parsed as unknown[];
  if (l !== list) throw bad(`it belongs to another list (${String(l).slice(0, 20)})`);
  if (f !== fp) throw bad('it belongs to a query with other filters or access; start again without "after"');
  if (
    !Number.isInteger(segment) ||
    !Number.isInteger(offset) ||
    (segment as number) < 0 ||
    (offset as number) < 0 ||
    (segment as number) >= Math.max(segments, 1)
  ) {
    throw bad('position out of range');
  }
  return { segment: segment as number, offset: offset as number };
}
