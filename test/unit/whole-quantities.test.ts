import { describe, expect, it } from 'vitest';
import { whole } from '../../src/schema/ids.js';

describe('whole: vendor numbers shown as GraphQL Int', () => {
  it.each([
    [10, 10],
    [10.5, 11],
    [10.49, 10],
    [-3.2, -3],
    [0, 0],
    [1e12, 2147483647],
    [-1e12, -2147483648],
    [Number.NaN, null],
    [Number.POSITIVE_INFINITY, null],
    [null, null],
    [undefined, null],
  ])('%s -> %s', (input, expected) => {
    expect(whole(input as number | null | undefined)).toBe(expected);
  });
});
