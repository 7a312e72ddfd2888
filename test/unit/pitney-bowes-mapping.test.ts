import { describe, expect, it } from 'vitest';
import { UpstreamError } from '../../src/domain/errors.js';
import type { PitneyBowesWorkOrder, Priority, WorkOrderQuery } from '../../src/domain/model.js';
import {
  dateOrNull,
  describeError,
  mapSearchPage,
  mapWorkOrder,
  numberOrNull,
  parseTokenResponse,
  PB_UNIFIED_PRIORITIES,
  PB_WIDE_CREATE_DATE,
  PITNEY_BOWES_DOMAIN_FIELD_MAX_LENGTH,
  PITNEY_BOWES_FIELD_MAX_LENGTH,
  PITNEY_BOWES_TRANSACTION_ID_PATTERN,
  priorityOf,
  searchBody,
  searchQuery,
  statusSearchField,
  stringArray,
  stringOrNull,
  tokenRequest,
  transactionHeaders,
  withDateRange,
  workOrderIdsSearchField,
} from '../../src/vendors/pitney-bowes/mapping.js';
import { planSearch } from '../../src/vendors/pitney-bowes/plan.js';
import type { PbSearchField } from '../../src/vendors/pitney-bowes/types.js';

const WIDE = { name: 'pbCreateDate', from: '1970-01-01T00:00:00Z', to: '2100-01-01T00:00:00Z' };

// The document's "Return all Work Order Data" example, as JSON (its "..." elisions removed).
const DOC_FULL = {
  clientId: '1234',
  clientWorkOrderId: 'W-284238',
  workOrderId: 'WO1234A789117803242',
  workOrderName: 'Welcome Kit',
  description: 'Welcome Kit',
  type: 'KIT',
  status: 'CREATED',
  node: '160',
  createDate: '2022-04-07T016:00:00-07:00',
  pbCreateDate: '2022-04-07T18:58:19-07:00',
  sku: 'Product-210411',
  workOrderQuantity: 2000,
  priority: 'PRIORITY',
  requestedStartDate: '2022-04-08T09:00:00-07:00',
  requestedCompletionDate: '2022-04-08T016:00:00-07:00',
  lotNumbers: ['LOT#11-2321-1134553', 'LOT#11-2321-1134556'],
  workOrderLines: [
    { childSKU: 'Product-120445', lotNumbers: ['LOT#18-2321-245612', 'LOT#18-2321-245618'], issuedQuantity: 10000 },
  ],
};

// The "Return a Subset" example's shape (its curly quotes fixed): what a list with fewer fields maps to.
const DOC_SUBSET = {
  clientId: '1234',
  clientWorkOrderId: 'W-284238',
  workOrderId: 'WO156A0029204893659052712',
  workOrderName: 'Welcome Kit',
  description: 'Welcome Kit',
  type: 'KIT',
  status: 'COMPLETE',
  node: '160',
  workOrderQuantity: 5000,
  startDate: '2022-02-01T09:01:32Z',
  completionDate: '2022-02-01T09:07:54Z',
  startQuantity: 100,
  completedQuantity: 100,
  sku: 'Product-210411',
};

const EVERYTHING = {
  clientId: 'C-9',
  clientWorkOrderId: 'W-1',
  workOrderId: 'WO-1',
  workOrderName: 'Name',
  description: 'Desc',
  type: 'KIT',
  status: 'INPROGRESS',
  node: 160,
  createDate: '2024-01-02T03:04:05Z',
  updateDate: '2024-01-03T03:04:05Z',
  pbCreateDate: '2024-01-02T04:04:05Z',
  pbUpdateDate: '2024-01-03T04:04:05Z',
  sku: 'SKU-1',
  brand: 'Acme',
  workOrderQuantity: '50',
  priority: 'STANDARD',
  requestedStartDate: '2024-02-01T00:00:00Z',
  requestedCompletionDate: '2024-02-10T00:00:00Z',
  startDate: '2024-02-02T00:00:00Z',
  completionDate: '2024-02-09T00:00:00Z',
  startQuantity: '50',
  completedQuantity: '40',
  lotNumbers: ['L1'],
  serialNumbers: ['S1'],
  rejectedQuantity: 3,
  scrappedQuantity: '2',
  workOrderLines: [
    { childSKU: 'C1', lotNumbers: ['L2'], serialNumbers: ['S2'], issuedQuantity: '7' },
    { childSKU: 42 },
  ],
  cancelDate: '2024-03-01T00:00:00Z',
  pbCancelDate: '2024-03-01T01:00:00Z',
  cancelReason: 'changed plan',
  references: [{ name: 'x', value: 'y' }],
};

describe('mapWorkOrder', () => {
  it('maps the document full-object example (with its unparseable dates as null)', () => {
    expect(mapWorkOrder(DOC_FULL)).toEqual<PitneyBowesWorkOrder>({
      vendor: 'PITNEY_BOWES',
      vendorId: 'WO1234A789117803242',
      orderNumber: 'W-284238',
      status: 'OPEN',
      vendorStatus: 'CREATED',
      quantity: 2000,
      completedQuantity: 0,
      priority: 'HIGH',
      dueDate: null,
      startDate: null,
      completionDate: null,
      createdAt: null,
      updatedAt: null,
      customer: null,
      notes: 'Welcome Kit',
      clientId: '1234',
      workOrderName: 'Welcome Kit',
      type: 'KIT',
      node: '160',
      sku: 'Product-210411',
      requestedStartDate: Date.parse('2022-04-08T16:00:00Z'),
      startQuantity: null,
      rejectedQuantity: null,
      scrappedQuantity: null,
      lotNumbers: ['LOT#11-2321-1134553', 'LOT#11-2321-1134556'],
      lines: [
        {
          childSku: 'Product-120445',
          lotNumbers: ['LOT#18-2321-245612', 'LOT#18-2321-245618'],
          serialNumbers: [],
          issuedQuantity: 10000,
        },
      ],
      cancelDate: null,
      cancelReason: null,
      pbCreateDate: Date.parse('2022-04-08T01:58:19Z'),
      pbUpdateDate: null,
      pbCancelDate: null,
    });
  });

  it('maps the document subset example (missing fields null, priority defaulted)', () => {
    const order = mapWorkOrder(DOC_SUBSET);
    expect(order).toMatchObject({
      vendorId: 'WO156A0029204893659052712',
      status: 'COMPLETED',
      vendorStatus: 'COMPLETE',
      quantity: 5000,
      completedQuantity: 100,
      startQuantity: 100,
      priority: 'NORMAL',
      startDate: Date.parse('2022-02-01T09:01:32Z'),
      completionDate: Date.parse('2022-02-01T09:07:54Z'),
      dueDate: null,
      customer: null,
      lotNumbers: [],
      lines: [],
    });
  });

  it('maps every documented field, parsing numbers given as strings', () => {
    expect(mapWorkOrder(EVERYTHING)).toEqual<PitneyBowesWorkOrder>({
      vendor: 'PITNEY_BOWES',
      vendorId: 'WO-1',
      orderNumber: 'W-1',
      status: 'IN_PROGRESS',
      vendorStatus: 'INPROGRESS',
      quantity: 50,
      completedQuantity: 40,
      priority: 'NORMAL',
      dueDate: Date.parse('2024-02-10T00:00:00Z'),
      startDate: Date.parse('2024-02-02T00:00:00Z'),
      completionDate: Date.parse('2024-02-09T00:00:00Z'),
      createdAt: Date.parse('2024-01-02T03:04:05Z'),
      updatedAt: Date.parse('2024-01-03T03:04:05Z'),
      customer: 'Acme',
      notes: 'Desc',
      clientId: 'C-9',
      workOrderName: 'Name',
      type: 'KIT',
      node: '160',
      sku: 'SKU-1',
      requestedStartDate: Date.parse('2024-02-01T00:00:00Z'),
      startQuantity: 50,
      rejectedQuantity: 3,
      scrappedQuantity: 2,
      lotNumbers: ['L1'],
      lines: [
        { childSku: 'C1', lotNumbers: ['L2'], serialNumbers: ['S2'], issuedQuantity: 7 },
        { childSku: '42', lotNumbers: [], serialNumbers: [], issuedQuantity: null },
      ],
      cancelDate: Date.parse('2024-03-01T00:00:00Z'),
      cancelReason: 'changed plan',
      pbCreateDate: Date.parse('2024-01-02T04:04:05Z'),
      pbUpdateDate: Date.parse('2024-01-03T04:04:05Z'),
      pbCancelDate: Date.parse('2024-03-01T01:00:00Z'),
    });
  });

  it('maps a minimal record to defaults', () => {
    expect(mapWorkOrder({ workOrderId: 'WO-2', status: 'CREATED' })).toMatchObject({
      vendorId: 'WO-2',
      orderNumber: '',
      status: 'OPEN',
      vendorStatus: 'CREATED',
      quantity: 0,
      completedQuantity: 0,
      priority: 'NORMAL',
      dueDate: null,
      customer: null,
      notes: null,
      sku: null,
      lotNumbers: [],
      lines: [],
      cancelReason: null,
    });
  });

  it.each([
    ['CREATED', 'OPEN'],
    ['INPROGRESS', 'IN_PROGRESS'],
    ['COMPLETE', 'COMPLETED'],
    ['CANCELED', 'CANCELLED'],
    ['CLOSED', 'CLOSED'],
    ['in_progress', 'IN_PROGRESS'],
    ['Completed', 'COMPLETED'],
    ['CANCELLED', 'CANCELLED'],
  ])('status %j maps to %s and keeps vendorStatus exact', (status, unified) => {
    expect(mapWorkOrder({ workOrderId: 'x', status })).toMatchObject({
      status: unified,
      vendorStatus: status,
    });
  });

  it.each([
    ['PRIORITY', 'HIGH'],
    ['STANDARD', 'NORMAL'],
    ['priority', 'HIGH'],
    [' standard ', 'NORMAL'],
    ['URGENT', 'NORMAL'],
    [undefined, 'NORMAL'],
    [3, 'NORMAL'],
  ])('priority %j maps to %s', (priority, unified) => {
    expect(priorityOf(priority)).toBe(unified);
    expect(mapWorkOrder({ workOrderId: 'x', status: 'CREATED', priority })?.priority).toBe(unified);
  });

  it.each([
    ['null', null],
    ['a string', 'WO-1'],
    ['an array', [{ workOrderId: 'WO-1', status: 'CREATED' }]],
    ['no workOrderId', { clientWorkOrderId: 'W-1', status: 'CREATED' }],
    ['an empty workOrderId', { workOrderId: '', status: 'CREATED' }],
    ['an object workOrderId', { workOrderId: { id: 1 }, status: 'CREATED' }],
    ['no status', { workOrderId: 'x' }],
    ['an empty status', { workOrderId: 'x', status: '' }],
    ['a status the document does not list', { workOrderId: 'x', status: 'ON_HOLD_SOMEHOW' }],
    ['a numeric status', { workOrderId: 'x', status: 2 }],
    ['a quantity that is not a number', { workOrderId: 'x', status: 'CREATED', workOrderQuantity: 'abc' }],
    ['an empty quantity', { workOrderId: 'x', status: 'CREATED', completedQuantity: '' }],
    ['a boolean quantity', { workOrderId: 'x', status: 'CREATED', scrappedQuantity: true }],
    ['a date that is a number', { workOrderId: 'x', status: 'CREATED', pbCreateDate: 20 }],
    ['a text that is an object', { workOrderId: 'x', status: 'CREATED', brand: { name: 'Acme' } }],
    ['lines that are not a list', { workOrderId: 'x', status: 'CREATED', workOrderLines: 'nope' }],
    ['a line that is not an object', { workOrderId: 'x', status: 'CREATED', workOrderLines: [null] }],
    ['a line of the wrong shape', { workOrderId: 'x', status: 'CREATED', workOrderLines: [{ issuedQuantity: 'x' }] }],
    ['lot numbers that are not texts', { workOrderId: 'x', status: 'CREATED', lotNumbers: [{}] }],
  ])('refuses %s, naming PITNEY_BOWES (UPSTREAM_ERROR)', (_label, input) => {
    expect(() => mapWorkOrder(input)).toThrow(UpstreamError);
    expect(() => mapWorkOrder(input)).toThrow(/^PITNEY_BOWES answered /);
  });

  it('reads a numeric workOrderId as a string key', () => {
    expect(mapWorkOrder({ workOrderId: 12, status: 'CREATED' })?.vendorId).toBe('12');
  });

  it.each([
    ['workOrderQuantity', null, 'quantity', 0],
    ['workOrderQuantity', ' 12 ', 'quantity', 12],
    ['completedQuantity', '1e2', 'completedQuantity', 100],
    ['startQuantity', null, 'startQuantity', null],
  ])('number field %s = %j maps %s to %j', (wireField, value, field, expected) => {
    expect(mapWorkOrder({ workOrderId: 'x', status: 'CREATED', [wireField]: value })).toMatchObject({
      [field]: expected,
    });
  });

  it.each([
    ['requestedCompletionDate', 'dueDate'],
    ['startDate', 'startDate'],
    ['completionDate', 'completionDate'],
    ['createDate', 'createdAt'],
    ['updateDate', 'updatedAt'],
    ['requestedStartDate', 'requestedStartDate'],
    ['cancelDate', 'cancelDate'],
    ['pbCreateDate', 'pbCreateDate'],
    ['pbUpdateDate', 'pbUpdateDate'],
  ])('date field %s maps to %s, and an unparseable one to null', (wireField, field) => {
    expect(mapWorkOrder({ workOrderId: 'x', status: 'CREATED', [wireField]: '2023-05-06T07:08:09Z' })).toMatchObject({
      [field]: Date.parse('2023-05-06T07:08:09Z'),
    });
    expect(
      mapWorkOrder({ workOrderId: 'x', status: 'CREATED', [wireField]: '2022-04-07T016:00:00-07:00' }),
    ).toMatchObject({
      [field]: null,
    });
  });

  it.each([
    ['brand', 'customer'],
    ['description', 'notes'],
    ['sku', 'sku'],
    ['clientId', 'clientId'],
    ['workOrderName', 'workOrderName'],
    ['type', 'type'],
    ['node', 'node'],
    ['cancelReason', 'cancelReason'],
    ['clientWorkOrderId', 'orderNumber'],
  ])('string field %s maps to %s', (wireField, field) => {
    expect(mapWorkOrder({ workOrderId: 'x', status: 'CREATED', [wireField]: 'value' })).toMatchObject({
      [field]: 'value',
    });
  });

  it('reads an empty line and a missing line list', () => {
    expect(mapWorkOrder({ workOrderId: 'x', status: 'CREATED' }).lines).toEqual([]);
    expect(mapWorkOrder({ workOrderId: 'x', status: 'CREATED', workOrderLines: [{}] }).lines).toEqual([
      { childSku: null, lotNumbers: [], serialNumbers: [], issuedQuantity: null },
    ]);
  });
});

describe('value readers', () => {
  it.each([
    [5, 5],
    [0, 0],
    [-2.5, -2.5],
    ['2000', 2000],
    [' 7 ', 7],
    ['1.5', 1.5],
    ['', null],
    ['12abc', null],
    ['0x10', null],
    [NaN, null],
    [Infinity, null],
    [null, null],
    [undefined, null],
    [{}, null],
  ])('numberOrNull(%j) = %j', (input, expected) => {
    expect(numberOrNull(input)).toBe(expected);
  });

  it.each([
    ['abc', 'abc'],
    ['', null],
    [160, '160'],
    [NaN, null],
    [true, null],
    [null, null],
    [['a'], null],
  ])('stringOrNull(%j) = %j', (input, expected) => {
    expect(stringOrNull(input)).toBe(expected);
  });

  it.each([
    [
      ['a', 'b'],
      ['a', 'b'],
    ],
    [
      ['a', 1, null, '', {}],
      ['a', '1'],
    ],
    ['solo', ['solo']],
    ['', []],
    [null, []],
    [{ 0: 'a' }, []],
  ])('stringArray(%j) = %j', (input, expected) => {
    expect(stringArray(input)).toEqual(expected);
  });

  it.each([
    ['2022-04-07T18:58:19-07:00', '2022-04-08T01:58:19.000Z'],
    ['2022-04-07T18:58:19Z', '2022-04-07T18:58:19.000Z'],
    ['2022-04-07T18:58:19z', '2022-04-07T18:58:19.000Z'],
    ['2022-04-07T18:58:19.123456+05:30', '2022-04-07T13:28:19.123Z'],
    ['2022-04-07T18:58:19+0530', '2022-04-07T13:28:19.000Z'],
    ['2022-04-07T18:58:19+05', '2022-04-07T13:58:19.000Z'],
    ['2022-04-07T18:58', '2022-04-07T18:58:00.000Z'],
    ['2022-04-07T18:58:19', '2022-04-07T18:58:19.000Z'],
    ['2022-04-07 18:58:19Z', '2022-04-07T18:58:19.000Z'],
    ['2022-04-07', '2022-04-07T00:00:00.000Z'],
    ['2024-02-29T00:00:00Z', '2024-02-29T00:00:00.000Z'],
    [1_700_000_000_000, '2023-11-14T22:13:20.000Z'],
  ])('dateOrNull(%j) = %s', (input, iso) => {
    const at = dateOrNull(input);
    expect(at === null ? undefined : new Date(at).toISOString()).toBe(iso);
  });

  it.each([
    ['2022-04-07T016:00:00-07:00'],
    ['2022-04-08T016:00:00-07:00'],
    ['2022-02-01T09:01:32Z”'],
    ['2023-02-29T00:00:00Z'],
    ['2022-02-30'],
    ['2022-13-01T00:00:00Z'],
    ['2022-00-10T00:00:00Z'],
    ['2022-01-01T24:00:00Z'],
    ['2022-01-01T12:60:00Z'],
    ['2022-01-01T12:00:61Z'],
    ['2022-01-01T12:00:00+25:00'],
    ['April 7, 2022'],
    ['07/04/2022'],
    [''],
    [null],
    [undefined],
    [NaN],
    [{}],
  ])('dateOrNull(%j) = null', (input) => {
    expect(dateOrNull(input)).toBeNull();
  });
});

describe('mapSearchPage', () => {
  const requested = { page: 2, size: 20 };

  it('maps the documented envelope, total from totalElements', () => {
    const page = mapSearchPage(
      {
        totalPages: 4,
        totalElements: 78,
        first: false,
        last: false,
        size: 20,
        page: 2,
        workOrders: [DOC_FULL, DOC_SUBSET],
      },
      requested,
    );
    expect(page.total).toBe(78);
    expect(page.items.map((o) => o.vendorId)).toEqual(['WO1234A789117803242', 'WO156A0029204893659052712']);
  });

  it.each([
    ['totalElements as a string', { totalElements: '78', workOrders: [] }, 78],
    ['no totalElements, last page', { last: true, workOrders: [DOC_FULL] }, 21],
    ['no totalElements, not the last page', { last: false, workOrders: [DOC_FULL] }, 22],
    ['a bare array', [DOC_FULL, DOC_SUBSET], 22],
    ['the status-search list name', { totalElements: 3, workOrderStatusList: [DOC_SUBSET] }, 3],
  ])('total with %s', (_label, body, total) => {
    expect(mapSearchPage(body, requested).total).toBe(total);
  });

  it.each([
    ['an entry that is not a work order', { totalElements: 2, workOrders: [DOC_FULL, null] }],
    ['an entry without its id', { totalElements: 2, workOrders: [DOC_FULL, { clientWorkOrderId: 'x' }] }],
    ['garbage totalElements', { totalElements: 'many', workOrders: [] }],
    ['a last flag that is not one', { last: 'perhaps', workOrders: [] }],
    ['a list that is not one', { totalElements: 1, workOrders: { 0: DOC_FULL } }],
  ])('refuses the whole page for %s, naming PITNEY_BOWES', (_label, body) => {
    expect(() => mapSearchPage(body, requested)).toThrow(/^PITNEY_BOWES answered /);
  });

  it.each([
    ['an empty page that leaves the empty list out', { totalElements: 0, totalPages: 0, page: 1, size: 100 }],
    ['an empty page whose list is null', { totalElements: 0, workOrders: null }],
  ])('reads %s as empty', (_label, body) => {
    expect(mapSearchPage(body, requested)).toEqual({ items: [], total: 0 });
  });

  it.each([
    ['null', null],
    ['a string', 'oops'],
    ['an object without a list', { totalElements: 3 }],
    ['a list that is not an array', { workOrders: {} }],
  ])('refuses %s as a bad response', (_label, body) => {
    expect(() => mapSearchPage(body, requested)).toThrowError(UpstreamError);
    try {
      mapSearchPage(body, requested);
    } catch (err) {
      expect(err).toMatchObject({ vendor: 'PITNEY_BOWES', kind: 'bad_response' });
    }
  });
});

describe('search bodies and query parameters', () => {
  it('always adds the wide createDate range when no date field is present (the six-month quirk)', () => {
    expect(withDateRange([])).toEqual([WIDE]);
    expect(withDateRange([{ name: 'status', values: ['CREATED'] }])).toEqual([
      { name: 'status', values: ['CREATED'] },
      WIDE,
    ]);
    expect(withDateRange([{ name: 'workOrderIds', values: ['a'] }])).toEqual([
      { name: 'workOrderIds', values: ['a'] },
      WIDE,
    ]);
    expect(PB_WIDE_CREATE_DATE).toEqual(WIDE);
  });

  it.each([
    'createDate',
    'updateDate',
    'cancelDate',
    'completionDate',
    'pbCreateDate',
    'pbUpdateDate',
    'pbCancelDate',
  ] as const)('does not add a second date field when %s is present', (name) => {
    const fields: PbSearchField[] = [{ name, from: '2024-01-01T00:00:00Z' }];
    expect(withDateRange(fields)).toEqual(fields);
  });

  it('builds the body with clientId and the creation-order sort', () => {
    expect(searchBody('1234', [statusSearchField(['CREATED', 'INPROGRESS'])])).toEqual({
      clientId: '1234',
      sort: ['pbCreateDate-asc'],
      searchFields: [{ name: 'status', values: ['CREATED', 'INPROGRESS'] }, WIDE],
    });
    expect(searchBody('1234', [workOrderIdsSearchField(['WO-1', 'WO-2'])])).toEqual({
      clientId: '1234',
      sort: ['pbCreateDate-asc'],
      searchFields: [{ name: 'workOrderIds', values: ['WO-1', 'WO-2'] }, WIDE],
    });
  });

  it.each([
    [1, 20, { page: 1, size: 20 }],
    [3, 100, { page: 3, size: 100 }],
    [0, 20, { page: 1, size: 20 }],
    [2, 500, { page: 2, size: 100 }],
    [2, 0, { page: 2, size: 1 }],
    [2.7, 10.2, { page: 2, size: 10 }],
  ])('searchQuery(%j, %j) = %j', (page, size, expected) => {
    expect(searchQuery(page, size)).toEqual(expected);
  });
});

describe('planSearch', () => {
  it.each<[string, WorkOrderQuery, PbSearchField[], boolean]>([
    ['no filter', {}, [], false],
    ['empty lists', { statuses: [], priorities: [] }, [], false],
    ['OPEN', { statuses: ['OPEN'] }, [{ name: 'status', values: ['CREATED'] }], false],
    ['IN_PROGRESS', { statuses: ['IN_PROGRESS'] }, [{ name: 'status', values: ['INPROGRESS'] }], false],
    ['COMPLETED', { statuses: ['COMPLETED'] }, [{ name: 'status', values: ['COMPLETE'] }], false],
    ['CANCELLED', { statuses: ['CANCELLED'] }, [{ name: 'status', values: ['CANCELED'] }], false],
    ['CLOSED', { statuses: ['CLOSED'] }, [{ name: 'status', values: ['CLOSED'] }], false],
    [
      'several statuses, some PB lacks',
      { statuses: ['CLOSED', 'PAUSED', 'OPEN', 'IN_PROGRESS'] },
      [{ name: 'status', values: ['CREATED', 'INPROGRESS', 'CLOSED'] }],
      false,
    ],
    ['priority HIGH', { priorities: ['HIGH'] }, [], true],
    ['priority with LOW', { priorities: ['LOW', 'NORMAL'] }, [], true],
    ['orderNumber', { orderNumber: 'w-2' }, [], true],
    ['empty orderNumber', { orderNumber: '' }, [], false],
    ['dueAfter', { dueAfter: new Date('2024-01-01T00:00:00Z') }, [], true],
    ['dueBefore', { dueBefore: new Date('2024-01-01T00:00:00Z') }, [], true],
    [
      'status and priority',
      { statuses: ['OPEN'], priorities: ['HIGH'] },
      [{ name: 'status', values: ['CREATED'] }],
      true,
    ],
  ])('%s', (_label, query, fields, scans) => {
    const plan = planSearch(query);
    expect(plan).not.toBeNull();
    expect(plan?.searchFields).toEqual(fields);
    expect(plan?.keep !== null).toBe(scans);
  });

  it.each<[string, WorkOrderQuery]>([
    ['only statuses PB lacks', { statuses: ['PAUSED', 'ON_HOLD', 'INCOMPLETE'] }],
    ['only LOW', { priorities: ['LOW'] }],
    ['only CRITICAL', { priorities: ['CRITICAL'] }],
    ['LOW and CRITICAL', { priorities: ['LOW', 'CRITICAL'], statuses: ['OPEN'] }],
    ['an empty due range', { dueAfter: new Date('2024-02-01T00:00:00Z'), dueBefore: new Date('2024-01-01T00:00:00Z') }],
  ])('no segments for %s', (_label, query) => {
    expect(planSearch(query)).toBeNull();
  });

  it('makes stable keys that differ per filter', () => {
    const a = planSearch({ statuses: ['OPEN'] })?.key;
    expect(planSearch({ statuses: ['OPEN'] })?.key).toBe(a);
    expect(planSearch({ statuses: ['OPEN', 'PAUSED'] })?.key).toBe(a);
    expect(planSearch({ statuses: ['IN_PROGRESS'] })?.key).not.toBe(a);
    expect(planSearch({})?.key).not.toBe(a);
    expect(planSearch({ orderNumber: 'W' })?.key).not.toBe(planSearch({ orderNumber: 'X' })?.key);
  });

  const order = (over: Partial<PitneyBowesWorkOrder>): PitneyBowesWorkOrder => ({
    ...(mapWorkOrder({ workOrderId: 'x', status: 'CREATED' }) as PitneyBowesWorkOrder),
    ...over,
  });
  const due = (iso: string) => new Date(iso);
  const at = (iso: string) => Date.parse(iso);

  it.each<[string, WorkOrderQuery, Partial<PitneyBowesWorkOrder>, boolean]>([
    ['HIGH keeps PRIORITY', { priorities: ['HIGH'] }, { priority: 'HIGH' }, true],
    ['HIGH drops STANDARD', { priorities: ['HIGH'] }, { priority: 'NORMAL' }, false],
    ['NORMAL keeps STANDARD', { priorities: ['NORMAL'] }, { priority: 'NORMAL' }, true],
    ['NORMAL drops PRIORITY', { priorities: ['NORMAL'] }, { priority: 'HIGH' }, false],
    ['LOW+HIGH keeps PRIORITY', { priorities: ['LOW', 'HIGH'] }, { priority: 'HIGH' }, true],
    ['orderNumber substring', { orderNumber: '8423' }, { orderNumber: 'W-284238' }, true],
    ['orderNumber case-insensitive', { orderNumber: 'w-28' }, { orderNumber: 'W-284238' }, true],
    ['orderNumber no match', { orderNumber: 'X-1' }, { orderNumber: 'W-284238' }, false],
    ['dueAfter inclusive', { dueAfter: due('2024-01-10T00:00:00Z') }, { dueDate: at('2024-01-10T00:00:00Z') }, true],
    ['dueAfter later', { dueAfter: due('2024-01-10T00:00:00Z') }, { dueDate: at('2024-01-11T00:00:00Z') }, true],
    ['dueAfter earlier', { dueAfter: due('2024-01-10T00:00:00Z') }, { dueDate: at('2024-01-09T23:59:59Z') }, false],
    ['dueBefore inclusive', { dueBefore: due('2024-01-10T00:00:00Z') }, { dueDate: at('2024-01-10T00:00:00Z') }, true],
    ['dueBefore later', { dueBefore: due('2024-01-10T00:00:00Z') }, { dueDate: at('2024-01-10T00:00:01Z') }, false],
    [
      'both ends, inside',
      { dueAfter: due('2024-01-01T00:00:00Z'), dueBefore: due('2024-01-31T00:00:00Z') },
      { dueDate: at('2024-01-15T00:00:00Z') },
      true,
    ],
    [
      'both ends equal, on it',
      { dueAfter: due('2024-01-01T00:00:00Z'), dueBefore: due('2024-01-01T00:00:00Z') },
      { dueDate: at('2024-01-01T00:00:00Z') },
      true,
    ],
    ['null due never matches dueAfter', { dueAfter: due('1970-01-01T00:00:00Z') }, { dueDate: null }, false],
    ['null due never matches dueBefore', { dueBefore: due('9999-01-01T00:00:00Z') }, { dueDate: null }, false],
    [
      'all at once',
      { priorities: ['HIGH'], orderNumber: 'w-', dueBefore: due('2024-01-31T00:00:00Z') },
      { priority: 'HIGH', orderNumber: 'W-1', dueDate: at('2024-01-15T00:00:00Z') },
      true,
    ],
    [
      'all at once, one fails',
      { priorities: ['HIGH'], orderNumber: 'w-', dueBefore: due('2024-01-31T00:00:00Z') },
      { priority: 'NORMAL', orderNumber: 'W-1', dueDate: at('2024-01-15T00:00:00Z') },
      false,
    ],
  ])('local match: %s', (_label, query, fields, expected) => {
    const keep = planSearch(query)?.keep;
    expect(keep).toBeTypeOf('function');
    expect(keep?.(order(fields))).toBe(expected);
  });

  it('knows which unified priorities PB orders can have', () => {
    expect(PB_UNIFIED_PRIORITIES).toEqual<Priority[]>(['NORMAL', 'HIGH']);
  });
});

describe('errors', () => {
  it.each<[string, unknown, { code?: string }]>([
    [
      'the documented envelope',
      { errors: [{ errorCode: 'PB-80001', errorDescription: 'Bad clientId 1234' }] },
      { code: 'PB-80001' },
    ],
    ['a bare array', [{ errorCode: '80010', errorDescription: 'x', message: 'y' }], { code: '80010' }],
    ['a numeric code', { errors: [{ errorCode: 80010 }] }, { code: '80010' }],
    ['a single object', { errorCode: 'PB-1' }, { code: 'PB-1' }],
    [
      'an unsafe first code, a safe second',
      { errors: [{ errorCode: 'has space' }, { errorCode: 'OK_2' }] },
      { code: 'OK_2' },
    ],
    ['a code too long', { errors: [{ errorCode: 'x'.repeat(65) }] }, {}],
    ['a code with a token-ish payload', { errors: [{ errorCode: 'Bearer abc.def' }] }, {}],
    ['no code', { errors: [{ errorDescription: 'secret' }] }, {}],
    ['text', 'Internal error', {}],
    ['null', null, {}],
  ])('describeError reads %s', (_label, body, expected) => {
    expect(describeError(400, body)).toEqual(expected);
  });

  it('never takes the description or message', () => {
    const described = describeError(400, {
      errors: [{ errorCode: 'PB-1', errorDescription: 'token eyJsecret', message: 'apiSecret=hunter2' }],
    });
    expect(JSON.stringify(described)).not.toMatch(/eyJsecret|hunter2/);
  });
});

describe('OAuth token', () => {
  it('asks with HTTP Basic over key:secret and the client-credentials form body', () => {
    const req = tokenRequest('my-key', 'my-secret');
    expect(req.body).toBe('grant_type=client_credentials');
    expect(req.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(req.headers.authorization).toBe(`Basic ${Buffer.from('my-key:my-secret').toString('base64')}`);
  });

  it.each<[string, unknown, ReturnType<typeof parseTokenResponse>]>([
    [
      'the assumed answer, expiresIn a string',
      { access_token: 'tok', tokenType: 'BearerToken', issuedAt: 1700000000000, expiresIn: '35999', clientID: 'k' },
      { accessToken: 'tok', expiresInSeconds: 35999 },
    ],
    ['expiresIn a number', { access_token: 'tok', expiresIn: 3600 }, { accessToken: 'tok', expiresInSeconds: 3600 }],
    ['no expiresIn', { access_token: 'tok' }, { accessToken: 'tok', expiresInSeconds: null }],
    ['garbage expiresIn', { access_token: 'tok', expiresIn: 'soon' }, { accessToken: 'tok', expiresInSeconds: null }],
    ['negative expiresIn', { access_token: 'tok', expiresIn: -5 }, { accessToken: 'tok', expiresInSeconds: null }],
    ['snake-case expires_in', { access_token: 'tok', expires_in: 60 }, { accessToken: 'tok', expiresInSeconds: 60 }],
    ['no token', { tokenType: 'BearerToken' }, null],
    ['an empty token', { access_token: '' }, null],
    ['a string', 'tok', null],
    ['null', null, null],
  ])('parseTokenResponse reads %s', (_label, body, expected) => {
    expect(parseTokenResponse(body)).toEqual(expected);
  });
});

describe('documented limits', () => {
  it('exports the documented maximum lengths', () => {
    expect(PITNEY_BOWES_FIELD_MAX_LENGTH).toEqual({
      clientWorkOrderId: 35,
      workOrderName: 30,
      description: 250,
      sku: 30,
      brand: 50,
      'X-PB-TransactionId': 25,
    });
    expect(PITNEY_BOWES_DOMAIN_FIELD_MAX_LENGTH).toEqual({
      orderNumber: 35,
      workOrderName: 30,
      notes: 250,
      sku: 30,
      customer: 50,
    });
  });

  it.each([
    ['mesgw-abc_DEF-123', true],
    ['x'.repeat(25), true],
    ['x'.repeat(26), false],
    ['has space', false],
    ['dot.not', false],
    ['', false],
  ])('transaction id %j valid: %s', (id, valid) => {
    expect(PITNEY_BOWES_TRANSACTION_ID_PATTERN.test(id)).toBe(valid);
  });

  it('names the transaction header in lower case (VendorHttp merges by exact key)', () => {
    expect(transactionHeaders('abc')).toEqual({ 'x-pb-transactionid': 'abc' });
  });
});
