import { describe, expect, it } from 'vitest';
import { WORK_ORDER_STATUSES, type WorkOrderStatus } from '../../src/domain/model.js';
import {
  PB_CAN_DELETE,
  PB_CHANGE_MECHANISMS,
  PB_STATUS_TO_UNIFIED,
  PB_STATUSES,
  PB_TRANSITIONS,
  PB_UNIFIED_STATUSES,
  pbStatusesFor,
  pbStatusOf,
  pitneyBowesStateRules,
  unifiedStatusOf,
  type PbStatus,
} from '../../src/vendors/pitney-bowes/states.js';

const unifiedPairs = WORK_ORDER_STATUSES.flatMap((from) => WORK_ORDER_STATUSES.map((to) => [from, to] as const));
const vendorPairs = PB_STATUSES.flatMap((from) => PB_STATUSES.map((to) => [from, to] as const));

describe('Pitney Bowes statuses', () => {
  it('has exactly the documented status values', () => {
    expect([...PB_STATUSES].sort()).toEqual(['CANCELED', 'CLOSED', 'COMPLETE', 'CREATED', 'INPROGRESS']);
  });

  it.each<[PbStatus, WorkOrderStatus]>([
    ['CREATED', 'OPEN'],
    ['INPROGRESS', 'IN_PROGRESS'],
    ['COMPLETE', 'COMPLETED'],
    ['CANCELED', 'CANCELLED'],
    ['CLOSED', 'CLOSED'],
  ])('%s is %s', (vendor, unified) => {
    expect(PB_STATUS_TO_UNIFIED[vendor]).toBe(unified);
    expect(unifiedStatusOf(vendor)).toBe(unified);
    expect(pbStatusOf(vendor)).toBe(vendor);
  });

  it.each<[string, PbStatus | undefined, WorkOrderStatus]>([
    ['created', 'CREATED', 'OPEN'],
    [' INPROGRESS ', 'INPROGRESS', 'IN_PROGRESS'],
    ['IN_PROGRESS', 'INPROGRESS', 'IN_PROGRESS'],
    ['In Progress', 'INPROGRESS', 'IN_PROGRESS'],
    ['STARTED', 'INPROGRESS', 'IN_PROGRESS'],
    ['OPEN', 'CREATED', 'OPEN'],
    ['NEW', 'CREATED', 'OPEN'],
    ['COMPLETED', 'COMPLETE', 'COMPLETED'],
    ['CANCELLED', 'CANCELED', 'CANCELLED'],
    ['closed', 'CLOSED', 'CLOSED'],
    ['REFURBISHING', undefined, 'OPEN'],
    ['', undefined, 'OPEN'],
  ])('raw %j reads as %s (%s)', (raw, vendor, unified) => {
    expect(pbStatusOf(raw)).toBe(vendor);
    expect(unifiedStatusOf(raw)).toBe(unified);
  });

  it.each<[WorkOrderStatus[], PbStatus[]]>([
    [['OPEN'], ['CREATED']],
    [['IN_PROGRESS'], ['INPROGRESS']],
    [['COMPLETED'], ['COMPLETE']],
    [['CANCELLED'], ['CANCELED']],
    [['CLOSED'], ['CLOSED']],
    [['PAUSED'], []],
    [['ON_HOLD'], []],
    [['INCOMPLETE'], []],
    [
      ['CLOSED', 'OPEN', 'PAUSED'],
      ['CREATED', 'CLOSED'],
    ],
    [[...WORK_ORDER_STATUSES], ['CREATED', 'INPROGRESS', 'CANCELED', 'CLOSED', 'COMPLETE']],
    [[], []],
  ])('unified %j searches vendor %j', (unified, vendor) => {
    expect(pbStatusesFor(unified)).toEqual(vendor);
  });

  it('names the unified statuses Pitney Bowes has', () => {
    expect(PB_UNIFIED_STATUSES).toEqual(['OPEN', 'IN_PROGRESS', 'COMPLETED', 'CANCELLED', 'CLOSED']);
    expect(pitneyBowesStateRules.statuses).toEqual(PB_UNIFIED_STATUSES);
    expect(pitneyBowesStateRules.vendor).toBe('PITNEY_BOWES');
  });
});

describe('Pitney Bowes transitions (read-only vendor)', () => {
  it.each(PB_STATUSES)('vendor table: %s allows nothing', (from) => {
    expect(PB_TRANSITIONS[from]).toEqual([]);
  });

  it.each(vendorPairs)('vendor table: %s -> %s is forbidden', (from, to) => {
    expect(PB_TRANSITIONS[from]).not.toContain(to);
  });

  it.each(WORK_ORDER_STATUSES)('unified: nothing is allowed from %s', (from) => {
    expect(pitneyBowesStateRules.allowed(from)).toEqual([]);
  });

  it.each(unifiedPairs)('unified: %s -> %s is forbidden', (from, to) => {
    expect(pitneyBowesStateRules.allowed(from)).not.toContain(to);
  });

  it.each(WORK_ORDER_STATUSES)('no delete from %s', (status) => {
    expect(pitneyBowesStateRules.canDelete(status)).toBe(false);
  });

  it.each(PB_STATUSES)('vendor table: no delete from %s', (status) => {
    expect(PB_CAN_DELETE[status]).toBe(false);
  });

  it.each([...WORK_ORDER_STATUSES, 'create', 'update', 'delete'] as const)(
    'no vendor mechanism carries %s',
    (change) => {
      expect(PB_CHANGE_MECHANISMS[change].kind).toBe('unsupported');
    },
  );
});
