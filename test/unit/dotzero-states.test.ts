import { describe, expect, it } from 'vitest';
import { WORK_ORDER_STATUSES, type WorkOrderStatus } from '../../src/domain/model.js';
import {
  DOTZERO_CHANGE_MECHANISM,
  DOTZERO_DELETABLE,
  DOTZERO_INITIAL_STATUS,
  DOTZERO_STATUSES,
  DOTZERO_STATUS_VALUES,
  DOTZERO_TRANSITIONS,
  dotZeroStateRules,
  dotZeroStatusOf,
  isDotZeroStatus,
  type DotZeroStatus,
} from '../../src/vendors/dotzero/states.js';
import { UNKNOWN_STATUS as DOTZERO_UNKNOWN_STATUS } from '../../src/vendors/states.js';

describe('DotZero status table', () => {
  it.each<[DotZeroStatus, string, WorkOrderStatus]>([
    [1, 'Not Started', 'OPEN'],
    [2, 'In Progress', 'IN_PROGRESS'],
    [3, 'Completed', 'COMPLETED'],
    [4, 'Incomplete', 'INCOMPLETE'],
  ])('%i %s is %s', (value, label, unified) => {
    expect(DOTZERO_STATUSES[value]).toEqual({ label, unified });
    expect(dotZeroStatusOf(unified)).toBe(value);
    expect(isDotZeroStatus(value)).toBe(true);
  });

  it('lists the values in vendor order, and nothing else', () => {
    expect(DOTZERO_STATUS_VALUES).toEqual([1, 2, 3, 4]);
    expect(Object.keys(DOTZERO_STATUSES)).toEqual(['1', '2', '3', '4']);
  });

  it.each<WorkOrderStatus>(['PAUSED', 'ON_HOLD', 'CANCELLED', 'CLOSED'])('%s has no DotZero value', (unified) => {
    expect(dotZeroStatusOf(unified)).toBeUndefined();
  });

  it.each([0, 5, -1, 1.5, Number.NaN])('%s is not a DotZero status', (value) => {
    expect(isDotZeroStatus(value)).toBe(false);
  });

  it('creates orders in status 1 and reads unknown values as a status that claims nothing happened', () => {
    expect(DOTZERO_INITIAL_STATUS).toBe(1);
    expect(DOTZERO_UNKNOWN_STATUS).toBe('OPEN');
  });

  it('exposes the unified statuses it has', () => {
    expect(dotZeroStateRules.vendor).toBe('DOTZERO');
    expect(dotZeroStateRules.statuses).toEqual(['OPEN', 'IN_PROGRESS', 'COMPLETED', 'INCOMPLETE']);
  });
});

describe('DotZero transitions (DESIGN.md: 1→2, 2→3, 2→4, 4→2; 3 terminal)', () => {
  it('the vendor table is exactly the documented one', () => {
    expect(DOTZERO_TRANSITIONS).toEqual({ 1: [2], 2: [3, 4], 3: [], 4: [2] });
  });

  const allowedPairs = new Set([
    'OPEN>IN_PROGRESS',
    'IN_PROGRESS>COMPLETED',
    'IN_PROGRESS>INCOMPLETE',
    'INCOMPLETE>IN_PROGRESS',
  ]);
  const everyPair = WORK_ORDER_STATUSES.flatMap((from) =>
    WORK_ORDER_STATUSES.map(
      (to) => [from, to, allowedPairs.has(`${from}>${to}`)] as [WorkOrderStatus, WorkOrderStatus, boolean],
    ),
  );

  it.each(everyPair)('%s -> %s allowed: %s', (from, to, allowed) => {
    expect(dotZeroStateRules.allowed(from).includes(to)).toBe(allowed);
  });

  it.each<[WorkOrderStatus, WorkOrderStatus[]]>([
    ['OPEN', ['IN_PROGRESS']],
    ['IN_PROGRESS', ['COMPLETED', 'INCOMPLETE']],
    ['COMPLETED', []],
    ['INCOMPLETE', ['IN_PROGRESS']],
    ['PAUSED', []],
    ['ON_HOLD', []],
    ['CANCELLED', []],
    ['CLOSED', []],
  ])('allowed(%s) = %j', (from, expected) => {
    expect(dotZeroStateRules.allowed(from)).toEqual(expected);
  });

  it('the same status again is not a change', () => {
    for (const status of dotZeroStateRules.statuses) expect(dotZeroStateRules.allowed(status)).not.toContain(status);
  });

  it('hands out lists the caller cannot change', () => {
    expect(Object.isFrozen(dotZeroStateRules.allowed('OPEN'))).toBe(true);
    expect(Object.isFrozen(dotZeroStateRules.allowed('CLOSED'))).toBe(true);
  });
});

describe('DotZero delete rule and change mechanism', () => {
  it.each<[WorkOrderStatus, boolean]>([
    ['OPEN', true],
    ['IN_PROGRESS', true],
    ['COMPLETED', true],
    ['INCOMPLETE', true],
    ['PAUSED', false],
    ['ON_HOLD', false],
    ['CANCELLED', false],
    ['CLOSED', false],
  ])('canDelete(%s) = %s', (status, expected) => {
    expect(dotZeroStateRules.canDelete(status)).toBe(expected);
  });

  it('every status may be deleted (the document only warns)', () => {
    expect(DOTZERO_DELETABLE).toEqual({ 1: true, 2: true, 3: true, 4: true });
  });

  it.each<[DotZeroStatus, string[]]>([
    [1, ['notes']],
    [2, ['notes']],
    [3, ['completedQuantity', 'notes']],
    [4, ['notes']],
  ])('a change to %i is a PATCH of status on the order, carrying %j', (to, sends) => {
    expect(DOTZERO_CHANGE_MECHANISM[to]).toEqual({ method: 'PATCH', path: '/v1/workOrders/{uuid}', sends });
  });

  it('every allowed target has a mechanism', () => {
    for (const from of DOTZERO_STATUS_VALUES) {
      for (const to of DOTZERO_TRANSITIONS[from]) expect(DOTZERO_CHANGE_MECHANISM[to]).toBeDefined();
    }
  });
});
