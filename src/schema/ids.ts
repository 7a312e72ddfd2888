import { encodeId, type NodeType } from '../domain/ids.js';
import type { Vendor } from '../domain/model.js';
import { builder } from './builder.js';

export const NodeInterface = builder.nodeInterfaceRef();

export const globalId = (type: NodeType) => (record: { vendor: Vendor; vendorId: string }) =>
  encodeId(type, record.vendor, record.vendorId);
