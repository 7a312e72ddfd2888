import { describe, expect, it } from 'vitest';
import { WORK_ORDER_STATUSES, type WorkOrderStatus } from '../../src/domain/model.js';
import {
  GMES_DELETABLE,
  GMES_FILTERABLE,
  GMES_MECHANISMS,
  GMES_TO_UNIFIED,
  GMES_TRANSITIONS,
  genericMesStateRules,
  gmesStatusOf,
  planTransition,
  unifiedStatus,
  type TableMechanism,
  type TransitionMechanism,
} from '../../src/vendors/generic-mes/states.js';
import { GMES_STATUSES, type GmesStatus } from '../../src/vendors/generic-mes/states.js';

// DESIGN.md, "State rules", generic MES, written out again here so a change to the table is a visible decision.
const EXPECTED: Record<GmesStatus, Partial<Record<GmesStatus, TableMechanism>>> = {
  OPEN: { IN_PROGRESS: 'begin', ON_HOLD: 'status', CANCELLED: 'status' },
  IN_PROGRESS: { PAUSED: 'status', ON_HOLD: 'status', COMPLETED: 'complete' },
  PAUSED: { IN_PROGRESS: 'begin', ON_HOLD: 'status', CANCELLED: 'status' },
  ON_HOLD: { OPEN: 'status', IN_PROGRESS: 'begin', CANCELLED: 'status' },
  COMPLETED: {},
  CANCELLED: {},
};

const pairs = GMES_STATUSES.flatMap((from) => GMES_STATUSES.map((to) => [from, to] as const));
const allowedPairs = pairs
  .filter(([from, to]) => EXPECTED[from][to] !== undefined)
  .map(([from, to]) => [from, to, EXPECTED[from][to] as TableMechanism] as const);
const forbiddenPairs = pairs.filter(([from, to]) => EXPECTED[from][to] === undefined);

describe('status values', () => {
  it.each<[GmesStatus, WorkOrderStatus]>([
    ['OPEN', 'OPEN'],
    ['IN_PROGRESS', 'IN_PROGRESS'],
    ['PAUSED', 'PAUSED'],
    ['ON_HOLD', 'ON_HOLD'],
    ['COMPLETED', 'COMPLETED'],
    ['CANCELLED', 'CANCELLED'],
  ])('%s is %s', (vendor, unified) => {
    expect(GMES_TO_UNIFIED[vendor]).toBe(unified);
    expect(unifiedStatus(vendor)).toBe(unified);
    expect(gmesStatusOf(unified)).toBe(vendor);
  });

  it.each<[WorkOrderStatus]>([['INCOMPLETE'], ['CLOSED']])('the vendor has no %s', (unified) => {
    expect(gmesStatusOf(unified)).toBeUndefined();
  });

  it.each<[string, WorkOrderStatus]>([
    ['in_progress', 'IN_PROGRESS'],
    ['In Progress', 'IN_PROGRESS'],
    ['in-progress', 'IN_PROGRESS'],
    ['INPROGRESS', 'IN_PROGRESS'],
    ['on hold', 'ON_HOLD'],
    ['ONHOLD', 'ON_HOLD'],
    ['HOLD', 'ON_HOLD'],
    ['paused', 'PAUSED'],
    ['SUSPENDED', 'PAUSED'],
    ['CANCELED', 'CANCELLED'],
    ['cancelled', 'CANCELLED'],
    ['COMPLETE', 'COMPLETED'],
    ['DONE', 'COMPLETED'],
    ['CLOSED', 'COMPLETED'],
    ['NEW', 'OPEN'],
    ['CREATED', 'OPEN'],
    [' open ', 'OPEN'],
    ['SOMETHING_ELSE', 'OPEN'],
    ['', 'OPEN'],
  ])('unknown or odd spelling %j reads as %s', (vendor, unified) => {
    expect(unifiedStatus(vendor)).toBe(unified);
  });

  it('names the vendor statuses in the unified order', () => {
    expect(genericMesStateRules.vendor).toBe('GENERIC_MES');
    expect(genericMesStateRules.statuses).toEqual([
      'OPEN',
      'IN_PROGRESS',
      'PAUSED',
      'ON_HOLD',
      'COMPLETED',
      'CANCELLED',
    ]);
  });

  it.each<[GmesStatus, boolean]>([
    ['OPEN', true],
    ['IN_PROGRESS', true],
    ['COMPLETED', true],
    ['CANCELLED', true],
    ['PAUSED', true],
    ['ON_HOLD', false],
  ])('list filter by %s: %s', (status, filterable) => {
    expect(GMES_FILTERABLE.includes(status)).toBe(filterable);
  });
});

describe('transition table', () => {
  it('matches DESIGN.md', () => {
    for (const from of GMES_STATUSES) {
      expect([...GMES_TRANSITIONS[from]].sort()).toEqual(Object.keys(EXPECTED[from]).sort());
    }
  });

  it('has a mechanism for every allowed move and none for a forbidden one', () => {
    for (const [from, to] of pairs) {
      expect(GMES_MECHANISMS[from][to] !== undefined).toBe(GMES_TRANSITIONS[from].includes(to));
    }
  });

  it.each(allowedPairs)('%s -> %s is allowed, by %s', (from, to, mechanism) => {
    const uFrom = GMES_TO_UNIFIED[from];
    const uTo = GMES_TO_UNIFIED[to];
    expect(genericMesStateRules.allowed(uFrom)).toContain(uTo);
    if (mechanism !== 'begin') {
      for (const started of [true, false, undefined]) {
        expect(planTransition(uFrom, uTo, started)).toEqual({ to, mechanism });
      }
    }
  });

  // A first start is "begin processing" (/start) from wherever the order waits; a move back into production after
  // a start is a resume, a status update that keeps startDate. Not told: an OPEN order has not started.
  it.each<[GmesStatus, boolean | undefined, TransitionMechanism]>([
    ['OPEN', false, 'start'],
    ['OPEN', true, 'status'],
    ['OPEN', undefined, 'start'],
    ['ON_HOLD', false, 'start'],
    ['ON_HOLD', true, 'status'],
    ['ON_HOLD', undefined, 'status'],
    ['PAUSED', false, 'start'],
    ['PAUSED', true, 'status'],
    ['PAUSED', undefined, 'status'],
  ])('%s -> IN_PROGRESS for an order started before (%s) goes by %s', (from, started, mechanism) => {
    expect(planTransition(GMES_TO_UNIFIED[from], 'IN_PROGRESS', started)).toEqual({ to: 'IN_PROGRESS', mechanism });
  });

  // The writes refuse these from the table; planTransition only says how a move would be sent, and does not judge.
  it.each(forbiddenPairs)('%s -> %s is forbidden by the table; if asked, it goes as the plain call', (from, to) => {
    const uFrom = GMES_TO_UNIFIED[from];
    const uTo = GMES_TO_UNIFIED[to];
    expect(genericMesStateRules.allowed(uFrom)).not.toContain(uTo);
    expect(planTransition(uFrom, uTo)).toEqual({ to, mechanism: to === 'COMPLETED' ? 'complete' : 'status' });
  });

  it.each<[WorkOrderStatus, WorkOrderStatus]>([
    ['OPEN', 'INCOMPLETE'],
    ['OPEN', 'CLOSED'],
  ])('%s -> %s (a target the vendor lacks) cannot be sent', (from, to) => {
    expect(planTransition(from, to)).toBeUndefined();
  });

  it.each<[WorkOrderStatus, WorkOrderStatus, GmesStatus]>([
    ['INCOMPLETE', 'IN_PROGRESS', 'IN_PROGRESS'],
    ['CLOSED', 'OPEN', 'OPEN'],
  ])('%s -> %s (a source the vendor lacks) goes as a plain status update', (from, to, vendorTo) => {
    expect(genericMesStateRules.allowed(from)).not.toContain(to);
    expect(planTransition(from, to)).toEqual({ to: vendorTo, mechanism: 'status' });
  });

  it.each<[WorkOrderStatus, WorkOrderStatus[]]>([
    ['OPEN', ['IN_PROGRESS', 'ON_HOLD', 'CANCELLED']],
    ['IN_PROGRESS', ['PAUSED', 'ON_HOLD', 'COMPLETED']],
    ['PAUSED', ['IN_PROGRESS', 'ON_HOLD', 'CANCELLED']],
    ['ON_HOLD', ['OPEN', 'IN_PROGRESS', 'CANCELLED']],
    ['COMPLETED', []],
    ['CANCELLED', []],
    ['INCOMPLETE', []],
    ['CLOSED', []],
  ])('allowed(%s)', (from, expected) => {
    expect(genericMesStateRules.allowed(from)).toEqual(expected);
  });

  it('hands out arrays nobody can change', () => {
    const allowed = genericMesStateRules.allowed('OPEN') as WorkOrderStatus[];
    expect(() => allowed.push('CLOSED')).toThrow();
  });
});

describe('delete', () => {
  it.each<[WorkOrderStatus, boolean]>([
    ['OPEN', true],
    ['IN_PROGRESS', false],
    ['PAUSED', true],
    ['ON_HOLD', true],
    ['COMPLETED', true],
    ['CANCELLED', true],
    ['INCOMPLETE', false],
    ['CLOSED', false],
  ])('canDelete(%s) is %s', (status, expected) => {
    expect(genericMesStateRules.canDelete(status)).toBe(expected);
  });

  it('covers every vendor status', () => {
    expect(Object.keys(GMES_DELETABLE).sort()).toEqual([...GMES_STATUSES].sort());
    expect(WORK_ORDER_STATUSES.length).toBe(8);
  });
});
