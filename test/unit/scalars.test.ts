import { describe, expect, it } from 'vitest';
import { isRecord, readFlag, readNumber, readText, safeCode, shortKey } from '../../src/vendors/scalars.js';

describe('isRecord', () => {
  it.each<[unknown, boolean]>([
    [{}, true],
    [{ a: 1 }, true],
    [Object.create(null), true],
    [[], false],
    [null, false],
    [undefined, false],
    ['{}', false],
    [1, false],
  ])('isRecord(%j) = %j', (value, expected) => {
    expect(isRecord(value)).toBe(expected);
  });
});

describe('readText', () => {
  it.each<[unknown, string | null]>([
    ['abc', 'abc'],
    // Never trimmed: the vendor's value as sent.
    [' abc ', ' abc '],
    [' ', ' '],
    ['', null],
    [160, '160'],
    [0, '0'],
    [-1.5, '-1.5'],
    [Number.NaN, null],
    [Number.POSITIVE_INFINITY, null],
    [true, null],
    [null, null],
    [undefined, null],
    [['a'], null],
    [{}, null],
  ])('readText(%j) = %j', (value, expected) => {
    expect(readText(value)).toBe(expected);
  });

  it.each<[unknown, string | null]>([
    ['', ''],
    ['abc', 'abc'],
    [7, '7'],
    [Number.NaN, null],
    [null, null],
    [false, null],
  ])('readText(%j, { keepEmpty: true }) = %j', (value, expected) => {
    expect(readText(value, { keepEmpty: true })).toBe(expected);
  });
});

describe('readNumber', () => {
  // [value, decimal only (default), with nonDecimal]
  it.each<[unknown, number | null, number | null]>([
    [5, 5, 5],
    [0, 0, 0],
    [-2.5, -2.5, -2.5],
    ['2000', 2000, 2000],
    [' 7 ', 7, 7],
    ['\t7\n', 7, 7],
    ['+1.5', 1.5, 1.5],
    ['-.5', -0.5, -0.5],
    ['5.', 5, 5],
    ['1e3', 1000, 1000],
    ['', null, null],
    ['   ', null, null],
    ['.', null, null],
    ['12abc', null, null],
    ['1,000', null, null],
    ['1_000', null, null],
    ['0x10', null, 16],
    ['0b11', null, 3],
    ['0o17', null, 15],
    ['-0x10', null, null],
    ['Infinity', null, null],
    ['1e999', null, null],
    [Number.NaN, null, null],
    [Number.POSITIVE_INFINITY, null, null],
    [true, null, null],
    [null, null, null],
    [undefined, null, null],
    [{}, null, null],
    [[1], null, null],
  ])('readNumber(%j) = %j, with nonDecimal %j', (value, decimal, nonDecimal) => {
    expect(readNumber(value)).toBe(decimal);
    expect(readNumber(value, { nonDecimal: true })).toBe(nonDecimal);
  });
});

describe('readFlag', () => {
  it.each<[unknown, boolean | null]>([
    [true, true],
    [false, false],
    [1, true],
    [0, false],
    ['true', true],
    ['false', false],
    [' TRUE ', true],
    ['False', false],
    ['1', true],
    ['0', false],
    ['yes', true],
    ['No', false],
    [2, null],
    [-1, null],
    ['', null],
    ['y', null],
    ['on', null],
    [null, null],
    [undefined, null],
    [{}, null],
  ])('readFlag(%j) = %j', (value, expected) => {
    expect(readFlag(value)).toBe(expected);
  });
});

describe('safeCode', () => {
  it.each<[unknown, string | undefined]>([
    ['NOT_FOUND', 'NOT_FOUND'],
    ['wo.missing-1', 'wo.missing-1'],
    ['x'.repeat(64), 'x'.repeat(64)],
    ['x'.repeat(65), undefined],
    ['', undefined],
    ['has space', undefined],
    ['Bearer eyJ...', undefined],
    [404, undefined],
    [null, undefined],
  ])('safeCode(%j) = %j', (value, expected) => {
    expect(safeCode(value)).toBe(expected);
  });

  it.each<[unknown, RegExp, string | undefined]>([
    ['BAD_INPUT', /^[A-Z][A-Z0-9_]{1,63}$/, 'BAD_INPUT'],
    ['bad input', /^[A-Z][A-Z0-9_]{1,63}$/, undefined],
    ['bad_input', /^[A-Z][A-Z0-9_]{1,63}$/, undefined],
  ])('safeCode(%j, %s) = %j', (value, pattern, expected) => {
    expect(safeCode(value, pattern)).toBe(expected);
  });
});

describe('shortKey', () => {
  it.each<[string, string]>([
    ['', ''],
    ['wo-1', 'wo-1'],
    ['k'.repeat(64), 'k'.repeat(64)],
    ['k'.repeat(65), `${'k'.repeat(64)}…`],
    ['k'.repeat(500), `${'k'.repeat(64)}…`],
  ])('shortKey(%j) = %j', (key, expected) => {
    expect(shortKey(key)).toBe(expected);
  });
});
