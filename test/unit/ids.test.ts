// Global ids (src/domain/ids.ts): base64url of `Type:VENDOR:key`, read back exactly, and anything else refused
// with a ValidationError naming the argument.
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/domain/errors.js';
import { decodeId, decodeIdOf, encodeId, type NodeType } from '../../src/domain/ids.js';
import type { Vendor } from '../../src/domain/model.js';

const plain = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

describe('encodeId', () => {
  it.each<[string, NodeType, Vendor, string]>([
    ['a uuid key', 'DotZeroWorkOrder', 'DOTZERO', '3f2b8c1e-1d2a-4c5b-9e8f-0a1b2c3d4e5f'],
    ['a numeric key', 'GenericMesWorkOrder', 'GENERIC_MES', '1024'],
    ['a key with colons', 'Operation', 'DOTZERO', 'route:7:step:2'],
    ['a key outside ASCII', 'Product', 'PITNEY_BOWES', 'Schraubenschlüssel-Ø12 — 東京'],
    ['a key of one character', 'Warehouse', 'GENERIC_MES', 'x'],
    ['a key longer than the scratch buffer holds', 'PitneyBowesWorkOrder', 'PITNEY_BOWES', 'k'.repeat(600)],
    ['a long key outside ASCII', 'StorageLocation', 'DOTZERO', 'ü'.repeat(800)],
  ])('%s: the base64url of Type:VENDOR:key, read back as it was', (_, type, vendor, key) => {
    const id = encodeId(type, vendor, key);
    expect(id).toBe(plain(`${type}:${vendor}:${key}`));
    if (id.length <= 512) expect(decodeId(id)).toEqual({ type, vendor, key });
  });

  it('encodes a short id after a long one without any of the long one left over', () => {
    encodeId('Product', 'DOTZERO', 'z'.repeat(300));
    expect(encodeId('Product', 'DOTZERO', 'p1')).toBe(plain('Product:DOTZERO:p1'));
  });
});

describe('decodeId', () => {
  it.each<[string, string, string]>([
    ['empty', '', 'not a gateway id'],
    ['not base64url', 'abc$def', 'not a gateway id'],
    ['too long', 'A'.repeat(513), 'not a gateway id'],
    ['without separators', plain('DotZeroWorkOrder'), 'not a gateway id'],
    ['of an unknown type', plain('Invoice:DOTZERO:1'), 'unknown type'],
    ['of an unknown vendor', plain('Product:SAP:1'), 'unknown vendor'],
    ['with an empty key', plain('Product:DOTZERO:'), 'empty or malformed key'],
    ['with a control character in the key', plain('Product:DOTZERO:a\u0000b'), 'empty or malformed key'],
  ])('refuses an id %s, naming the argument', (_, id, why) => {
    const err = (() => {
      try {
        decodeId(id, 'productId');
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).message).toContain(why);
    expect((err as ValidationError).message).toContain('productId');
  });

  it('refuses an id of another type where one type is expected', () => {
    const id = encodeId('Product', 'DOTZERO', 'p1');
    expect(() => decodeIdOf(id, ['DotZeroWorkOrder'], 'workOrderId')).toThrow(
      /Invalid workOrderId: expected DotZeroWorkOrder, got Product/,
    );
    expect(decodeIdOf(id, ['Product'])).toEqual({ type: 'Product', vendor: 'DOTZERO', key: 'p1' });
  });
});
