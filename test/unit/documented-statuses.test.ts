import { describe, expect, it } from 'vitest';
import { dotZeroStateRules } from '../../src/vendors/dotzero/states.js';
import { genericMesStateRules } from '../../src/vendors/generic-mes/states.js';
import { pitneyBowesStateRules } from '../../src/vendors/pitney-bowes/states.js';

describe('a vendor status the document does not name allows no change', () => {
  it.each([
    [dotZeroStateRules, '1', true],
    [dotZeroStateRules, '4', true],
    [dotZeroStateRules, '0', false],
    [dotZeroStateRules, '5', false],
    [dotZeroStateRules, 'Completed', false],
    [genericMesStateRules, 'ON_HOLD', true],
    [genericMesStateRules, 'CANCELED', false],
    [genericMesStateRules, 'ARCHIVED', false],
    [pitneyBowesStateRules, 'INPROGRESS', true],
    [pitneyBowesStateRules, 'IN_PROGRESS', false],
  ] as const)('%s.documented(%j) is %s', (rules, status, expected) => {
    expect(rules.documented(status)).toBe(expected);
  });
});
