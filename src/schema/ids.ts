import { encodeId, type NodeType } from '../domain/ids.js';
import type { Vendor } from '../domain/model.js';
import { builder } from './builder.js';

export const NodeInterface = builder.nodeInterfaceRef();

export const globalId = (type: NodeType) => (record: { vendor: Vendor; vendorId: string }) =>
  encodeId(type, record.vendor, record.vendorId);

/**
 * Quantities are whole numbers in the graph (Int), while every vendor document types them as "number": a
 * fractional or out-of-range value is rounded and clamped rather than failing the whole record.
 */
export function whole<T extends number | null | undefined>(value: T): T extends number ? number : null {
  if (value === null || value === undefined || !Number.isFinite(value)) return null as never;
  return Math.max(-2147483648, Math.min(2147483647, Math.round(value))) as never;
}
