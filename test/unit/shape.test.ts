import { describe, expect, it } from 'vitest';
import { UpstreamError } from '../../src/domain/errors.js';
import { checked, misfit, type FieldKind } from '../../src/vendors/shape.js';

describe('misfit: what each kind accepts', () => {
  it.each<[FieldKind, unknown[], unknown[]]>([
    ['text', ['a', '', 42], [true, {}, [], Infinity]],
    ['number', [1, 2.5, '12', ' 3 ', '1e2'], ['abc', '', true, {}, [], '0x1A']],
    ['date', ['2024-01-01T00:00:00Z', '2022-04-07T016:00:00-07:00', 'soon'], [20, true, {}, []]],
    ['flag', [true, false, 0, 1, 'true', 'no'], ['maybe', 2, {}, []]],
    ['texts', [[], ['a', 1], 'a'], [[{}], [null], 3, {}]],
    ['list', [[], [1, {}]], ['a', {}, 1]],
    ['record', [{}, { a: 1 }], [[], 'a', 1]],
  ])('%s', (kind, good, bad) => {
    for (const value of good) expect(misfit({ f: value }, { f: kind }), JSON.stringify(value)).toBeUndefined();
    for (const value of bad) expect(misfit({ f: value }, { f: kind }), JSON.stringify(value)).toMatch(/^f is not /);
  });

  it('absent and null fit an optional field; a required one must be there and not empty', () => {
    expect(misfit({}, { f: 'number' })).toBeUndefined();
    expect(misfit({ f: null }, { f: 'number' })).toBeUndefined();
    expect(misfit({}, { f: { kind: 'text', required: true } })).toBe('f is missing');
    expect(misfit({ f: '' }, { f: { kind: 'text', required: true } })).toBe('f is missing');
    expect(misfit({ other: {} }, { f: 'text' })).toBeUndefined();
  });

  it('checked refuses with an UpstreamError naming the vendor and the field, never the value', () => {
    const err = (() => {
      try {
        checked('GENERIC_MES', 'a work order', { quantity: { secret: 'zq-value' } }, { quantity: 'number' });
      } catch (e) {
        return e;
      }
    })() as UpstreamError;
    expect(err).toBeInstanceOf(UpstreamError);
    expect(err).toMatchObject({ vendor: 'GENERIC_MES', kind: 'bad_response' });
    expect(err.message).toBe('GENERIC_MES answered a work order whose quantity is not a number');
    expect(() => checked('DOTZERO', 'a work order', [1], {})).toThrow(
      'DOTZERO answered a work order that is not an object',
    );
  });
});
