// Global ids: opaque to clients, they carry the type, the vendor and the vendor's own key, so `node(id)` can
// route to the right vendor without asking anyone. base64url of `Type:VENDOR:key`.
import { ValidationError } from './errors.js';
import { VENDORS, type Vendor } from './model.js';

export const NODE_TYPES = [
  'DotZeroWorkOrder',
  'GenericMesWorkOrder',
  'PitneyBowesWorkOrder',
  'Product',
  'Route',
  'Operation',
  'Warehouse',
  'StorageLocation',
] as const;
export type NodeType = (typeof NODE_TYPES)[number];

export const WORK_ORDER_TYPE: Record<Vendor, NodeType> = {
  DOTZERO: 'DotZeroWorkOrder',
  GENERIC_MES: 'GenericMesWorkOrder',
  PITNEY_BOWES: 'PitneyBowesWorkOrder',
};

export interface GlobalId {
  type: NodeType;
  vendor: Vendor;
  key: string;
}

// Every row of a list encodes its id: written through one scratch buffer, an id costs its string and nothing else
// (a Buffer per id was a visible share of a list's garbage). UTF-8 takes at most 3 bytes per UTF-16 unit, so a text
// of up to a third of the scratch always fits; longer ones (never seen: keys are short) take a buffer of their own.
const scratch = Buffer.allocUnsafe(1536);

export function encodeId(type: NodeType, vendor: Vendor, key: string): string {
  const text = `${type}:${vendor}:${key}`;
  if (text.length * 3 > scratch.length) return Buffer.from(text, 'utf8').toString('base64url');
  return scratch.toString('base64url', 0, scratch.write(text, 0, 'utf8'));
}

const BASE64URL = /^[A-Za-z0-9_-]+={0,2}$/;

/** Decodes and checks a global id; anything malformed is a ValidationError naming the argument. */
export function decodeId(id: string, argument = 'id'): GlobalId {
  const bad = (why: string) => new ValidationError(`Invalid ${argument} "${truncate(id)}": ${why}`, argument);
  if (typeof id !== 'string' || id.length === 0 || id.length > 512 || !BASE64URL.test(id))
    throw bad('not a gateway id');
  const text = Buffer.from(id, 'base64url').toString('utf8');
  const first = text.indexOf(':');
  const second = text.indexOf(':', first + 1);
  if (first < 0 || second < 0) throw bad('not a gateway id');
  const type = text.slice(0, first);
  const vendor = text.slice(first + 1, second);
  const key = text.slice(second + 1);
  if (!(NODE_TYPES as readonly string[]).includes(type)) throw bad('unknown type');
  if (!(VENDORS as readonly string[]).includes(vendor)) throw bad('unknown vendor');
  // Control characters are exactly what this check is for.
  // eslint-disable-next-line no-control-regex
  if (key.length === 0 || /[\u0000-\u001f]/.test(key)) throw bad('empty or malformed key');
  return { type: type as NodeType, vendor: vendor as Vendor, key };
}

/** Decodes an id that must be of one of the given types. */
export function decodeIdOf(id: string, types: readonly NodeType[], argument = 'id'): GlobalId {
  const decoded = decodeId(id, argument);
  if (!types.includes(decoded.type)) {
    throw new ValidationError(`Invalid ${argument}: expected ${types.join(' or ')}, got ${decoded.type}`, argument);
  }
  return decoded;
}

export function isWorkOrderType(type: NodeType): boolean {
  return type === 'DotZeroWorkOrder' || type === 'GenericMesWorkOrder' || type === 'PitneyBowesWorkOrder';
}

function truncate(s: string): string {
  return typeof s === 'string' && s.length > 40 ? `${s.slice(0, 40)}…` : String(s);
}
