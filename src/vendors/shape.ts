// The check every vendor answer passes before it is mapped: each field of a record holds a value of its documented
// kind, or is absent (null counts as absent: the documents mark no field as never null, and list answers leave
// fields out). A value that reads without loss as its kind is accepted (a number written as a decimal string, an id
// sent as a number: the small drifts the README's assumptions name); anything else — an object where a quantity
// belongs, a number where a date belongs, a boolean where a text belongs — is a wrong type, and the record fails
// with an UpstreamError naming the vendor and the field, never the value. Each vendor's mapping.ts declares its
// shapes (the field names live there); nothing here knows a vendor field.
import { UpstreamError } from '../domain/errors.js';
import type { Vendor } from '../domain/model.js';
import { isRecord, readFlag, readNumber } from './scalars.js';

export type FieldKind =
  /** A string, or a finite number (read as its decimal text). */
  | 'text'
  /** A finite number, or a string in decimal notation. */
  | 'number'
  /** A string (ISO 8601; one that does not parse is read as no date, as the documents' own examples require). */
  | 'date'
  /** A boolean, 0/1, or "true"/"false"/"1"/"0"/"yes"/"no". */
  | 'flag'
  /** An array of texts, or a single string. */
  | 'texts'
  /** An array (its items are checked by their own shape). */
  | 'list'
  /** A JSON object. */
  | 'record';

export interface FieldSpec {
  kind: FieldKind;
  /** The record is not one without it (an id nothing could address otherwise, a status). */
  required?: boolean;
}

export type Shape = Readonly<Record<string, FieldKind | FieldSpec>>;

const isText = (v: unknown) => typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v));

const FITS: Readonly<Record<FieldKind, (v: unknown) => boolean>> = {
  text: isText,
  number: (v) => readNumber(v) !== null,
  date: (v) => typeof v === 'string',
  flag: (v) => readFlag(v) !== null,
  texts: (v) => typeof v === 'string' || (Array.isArray(v) && v.every(isText)),
  list: (v) => Array.isArray(v),
  record: (v) => isRecord(v),
};

/** One field's check, made once per shape. */
interface FieldCheck {
  field: string;
  required: boolean;
  fits: (v: unknown) => boolean;
  /** `"<field> is not <kind>"` */
  wrong: string;
  missing: string;
}

/** Each shape's checks, made on its first use: every record of a list is checked against the same few shapes. */
const compiled = new WeakMap<Shape, readonly FieldCheck[]>();

function compile(shape: Shape): readonly FieldCheck[] {
  let checks = compiled.get(shape);
  if (checks === undefined) {
    checks = Object.entries(shape).map(([field, spec]) => {
      const { kind, required = false } = typeof spec === 'string' ? { kind: spec } : spec;
      return {
        field,
        required,
        fits: FITS[kind],
        wrong: `${field} is not ${ARTICLE[kind]}`,
        missing: `${field} is missing`,
      };
    });
    compiled.set(shape, checks);
  }
  return checks;
}

/** Why a record does not fit its shape (`"quantity is not a number"`), or undefined when it fits. */
export function misfit(record: Record<string, unknown>, shape: Shape): string | undefined {
  const checks = compile(shape);
  for (let i = 0; i < checks.length; i++) {
    const check = checks[i]!;
    const value = record[check.field];
    if (value === undefined || value === null || (check.required && value === '')) {
      if (check.required) return check.missing;
      continue;
    }
    if (!check.fits(value)) return check.wrong;
  }
  return undefined;
}

const ARTICLE: Readonly<Record<FieldKind, string>> = {
  text: 'a text',
  number: 'a number',
  date: 'a date string',
  flag: 'a boolean',
  texts: 'a list of texts',
  list: 'a list',
  record: 'an object',
};

/**
 * The record, when it is an object that fits its shape; otherwise the vendor's answer is refused: an UpstreamError
 * (`bad_response`, UPSTREAM_ERROR) naming the vendor, what was read and the field, never a value.
 */
export function checked(vendor: Vendor, what: string, value: unknown, shape: Shape): Record<string, unknown> {
  if (!isRecord(value))
    throw new UpstreamError(vendor, 'bad_response', `${vendor} answered ${what} that is not an object`);
  const wrong = misfit(value, shape);
  if (wrong !== undefined) throw new UpstreamError(vendor, 'bad_response', `${vendor} answered ${what} whose ${wrong}`);
  return value;
}
