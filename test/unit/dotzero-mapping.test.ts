import { describe, expect, it } from 'vitest';
import { UpstreamError, ValidationError } from '../../src/domain/errors.js';
import type { Operation, Priority, WorkOrderQuery, WorkOrderStatus, WorkOrderUpdate } from '../../src/domain/model.js';
import {
  OPEN_RANGE_END,
  OPEN_RANGE_START,
  createWorkOrderBody,
  describeDotZeroError,
  isWorkOrderRecord,
  knownTotal,
  mapOpHistory,
  mapOperationDefinition,
  mapProduct,
  mapProductStorage,
  mapRoute,
  mapRouteOperation,
  mapStorageLocation,
  mapWarehouse,
  mapWorkOrder,
  productListQuery,
  rangeParams,
  readCount,
  readList,
  readOne,
  readStatus,
  sortBySequence,
  statusChangeBody,
  tokenFromRefreshAnswer,
  updateWorkOrderBody,
  wireDate,
  workOrderListQuery,
  type DotZeroListFilter,
} from '../../src/vendors/dotzero/mapping.js';
import { credentialsWithToken, readSkillConfig, readSkillCredentials } from '../../src/vendors/dotzero/auth.js';
import { productListPlan, workOrderListPlans } from '../../src/vendors/dotzero/plan.js';

const fullWorkOrder = {
  uuid: 'wo-uuid-1',
  work_order_id: 'WO-2024-001',
  qty: 100,
  good: 40,
  status: 2,
  deadline: '2024-12-31T23:59:59Z',
  order_due_date: '2025-01-15T00:00:00Z',
  is_asap: true,
  work_order_priority_ranking: 1,
  memo: 'Customer order #12345',
  route_uuid: 'route-1',
  default_warehouse_uuid: 'wh-1',
  default_warehouse_storage_uuid: 'loc-1',
  start_time: '2024-12-01T08:00:00Z',
  end_time: null,
  created_at: '2024-11-30T10:00:00Z',
  updated_at: '2024-12-01T08:00:00.123Z',
};

describe('mapWorkOrder', () => {
  it('maps a full record (list and detail share one shape)', () => {
    expect(mapWorkOrder(fullWorkOrder)).toEqual({
      vendor: 'DOTZERO',
      vendorId: 'wo-uuid-1',
      orderNumber: 'WO-2024-001',
      status: 'IN_PROGRESS',
      vendorStatus: '2',
      quantity: 100,
      completedQuantity: 40,
      priority: 'HIGH',
      isAsap: true,
      priorityRanking: 1,
      dueDate: Date.parse('2024-12-31T23:59:59Z'),
      orderDueDate: Date.parse('2025-01-15T00:00:00Z'),
      startDate: Date.parse('2024-12-01T08:00:00Z'),
      completionDate: null,
      createdAt: Date.parse('2024-11-30T10:00:00Z'),
      updatedAt: Date.parse('2024-12-01T08:00:00.123Z'),
      customer: null,
      notes: 'Customer order #12345',
      routeId: 'route-1',
      defaultWarehouseId: 'wh-1',
      defaultStorageLocationId: 'loc-1',
    });
  });

  it('maps a minimal record: missing optional fields become null, good null becomes 0', () => {
    expect(mapWorkOrder({ uuid: 'u', work_order_id: 'W', qty: 5, status: 1, good: null })).toEqual({
      vendor: 'DOTZERO',
      vendorId: 'u',
      orderNumber: 'W',
      status: 'OPEN',
      vendorStatus: '1',
      quantity: 5,
      completedQuantity: 0,
      priority: 'NORMAL',
      isAsap: false,
      priorityRanking: null,
      dueDate: null,
      orderDueDate: null,
      startDate: null,
      completionDate: null,
      createdAt: null,
      updatedAt: null,
      customer: null,
      notes: null,
      routeId: null,
      defaultWarehouseId: null,
      defaultStorageLocationId: null,
    });
  });

  it.each([
    [
      'numbers as strings',
      { qty: '12', good: '3.5', work_order_priority_ranking: '2' },
      { quantity: 12, completedQuantity: 3.5, priorityRanking: 2 },
    ],
    ['missing qty and good', {}, { quantity: 0, completedQuantity: 0 }],
    ['is_asap "true"', { is_asap: 'true' }, { isAsap: true, priority: 'HIGH' }],
    ['is_asap 1', { is_asap: 1 }, { isAsap: true, priority: 'HIGH' }],
    ['is_asap "0"', { is_asap: '0' }, { isAsap: false, priority: 'NORMAL' }],
    ['is_asap false', { is_asap: false }, { isAsap: false, priority: 'NORMAL' }],
    ['is_asap null', { is_asap: null }, { isAsap: false, priority: 'NORMAL' }],
    ['a malformed date (PB example)', { deadline: '2022-04-07T016:00:00-07:00' }, { dueDate: null }],
    ['a date string that is not a date', { deadline: 'tomorrow', start_time: '1' }, { dueDate: null, startDate: null }],
    ['an empty date', { deadline: '' }, { dueDate: null }],
    ['a date-only deadline', { deadline: '2024-12-31' }, { dueDate: Date.parse('2024-12-31T00:00:00Z') }],
    [
      'a date with offset',
      { end_time: '2024-12-31T10:00:00+08:00' },
      { completionDate: Date.parse('2024-12-31T02:00:00Z') },
    ],
    ['empty ids', { route_uuid: '', default_warehouse_uuid: '' }, { routeId: null, defaultWarehouseId: null }],
    ['numeric uuid and order number', { uuid: 42, work_order_id: 7 }, { vendorId: '42', orderNumber: '7' }],
    ['missing work_order_id', { work_order_id: undefined }, { orderNumber: '' }],
    ['empty memo kept', { memo: '' }, { notes: '' }],
    ['a customer the vendor does not have', { customer: 'ACME' }, { customer: null }],
  ])('tolerates %s', (_name, patch, expected) => {
    expect(mapWorkOrder({ uuid: 'u', work_order_id: 'W', status: 1, ...patch })).toMatchObject(expected);
  });

  it.each<[string, Record<string, unknown>]>([
    ['a quantity that is not a number', { qty: 'many' }],
    ['a good count that is not a number', { good: 'some' }],
    ['an empty priority ranking', { work_order_priority_ranking: '' }],
    ['is_asap gibberish', { is_asap: 'maybe' }],
    ['a date that is a number', { end_time: 17 }],
    ['a memo that is an object', { memo: { text: 'x' } }],
    ['a route uuid that is a list', { route_uuid: ['r'] }],
    ['no status', { status: undefined }],
  ])('refuses %s, naming DOTZERO (UPSTREAM_ERROR)', (_name, patch) => {
    const wire = { uuid: 'u', work_order_id: 'W', status: 1, ...patch };
    expect(() => mapWorkOrder(wire)).toThrow(UpstreamError);
    expect(() => mapWorkOrder(wire)).toThrow(/^DOTZERO answered a work order/);
  });

  it.each<[string, (wire: unknown) => unknown, Record<string, unknown>]>([
    ['a product whose name is an object', mapProduct, { uuid: 'p', name: { en: 'x' } }],
    ['a product whose is_active is gibberish', mapProduct, { uuid: 'p', is_active: 'maybe' }],
    ['a route whose product_uuid is a list', mapRoute, { uuid: 'r', product_uuid: ['p'] }],
    ['a route step whose sequence is not a number', (w) => mapRouteOperation(w), { uuid: 's', sequence: 'first' }],
    ['a route step whose operation is a text', (w) => mapRouteOperation(w), { uuid: 's', operation: 'cut' }],
    ['an op history record whose good count is a flag', (w) => mapOpHistory(w), { uuid: 'h', good: true }],
    ['an op history record whose start time is a number', (w) => mapOpHistory(w), { uuid: 'h', start_time: 17 }],
    ['an operation whose name is a list', mapOperationDefinition, { uuid: 'o', name: ['cut'] }],
    ['a warehouse whose code is an object', mapWarehouse, { uuid: 'w', code: {} }],
    ['a storage location whose warehouse_uuid is a flag', mapStorageLocation, { uuid: 'l', warehouse_uuid: false }],
    ['a product storage record whose qty is a text', (w) => mapProductStorage(w, 'p'), { qty: 'lots' }],
  ])('refuses %s, naming DOTZERO (UPSTREAM_ERROR)', (_name, map, wire) => {
    expect(() => map(wire)).toThrow(UpstreamError);
    expect(() => map(wire)).toThrow(/^DOTZERO answered/);
  });

  it.each([null, 'text', 42, []])('refuses a body that is not an object: %j', (body) => {
    expect(() => mapWorkOrder(body)).toThrow(UpstreamError);
  });

  it('refuses a record without uuid (nothing could address it)', () => {
    const err = (() => {
      try {
        mapWorkOrder({ work_order_id: 'W' });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(UpstreamError);
    expect((err as UpstreamError).kind).toBe('bad_response');
  });

  it.each([
    [{ uuid: 'x' }, true],
    [{ uuid: '' }, false],
    [{ message: 'created' }, false],
    [null, false],
  ])('isWorkOrderRecord(%j) is %s', (body, expected) => {
    expect(isWorkOrderRecord(body)).toBe(expected);
  });
});

describe('readStatus: every status value', () => {
  it.each<[unknown, WorkOrderStatus, string]>([
    [1, 'OPEN', '1'],
    [2, 'IN_PROGRESS', '2'],
    [3, 'COMPLETED', '3'],
    [4, 'INCOMPLETE', '4'],
    ['1', 'OPEN', '1'],
    ['2', 'IN_PROGRESS', '2'],
    ['3', 'COMPLETED', '3'],
    ['4', 'INCOMPLETE', '4'],
    ['Not Started', 'OPEN', 'Not Started'],
    ['in progress', 'IN_PROGRESS', 'in progress'],
    ['Completed', 'COMPLETED', 'Completed'],
    ['INCOMPLETE', 'INCOMPLETE', 'INCOMPLETE'],
  ])('%j -> %s (vendorStatus %j)', (value, status, vendorStatus) => {
    expect(readStatus(value)).toEqual({ status, vendorStatus });
    expect(mapWorkOrder({ uuid: 'u', status: value })).toMatchObject({ status, vendorStatus });
  });

  // Unknown values: no guess; the work order (and the answer it came in) is refused, naming the vendor.
  it.each<[unknown]>([[0], [5], [2.5], ['Paused'], [null], [undefined], [''], [true], [{ id: 1 }]])(
    '%j is no status: refused',
    (value) => {
      expect(readStatus(value)).toBeUndefined();
      expect(() => mapWorkOrder({ uuid: 'u', status: value })).toThrow(/^DOTZERO answered a work order/);
    },
  );
});

describe('relations', () => {
  it.each([
    [
      'product',
      mapProduct,
      {
        uuid: 'p1',
        number: 'PROD-001',
        name: 'Widget A',
        category: 'Components',
        specification: 'Size: 10x10x5cm',
        memo: 'm',
        is_active: true,
      },
      {
        vendor: 'DOTZERO',
        vendorId: 'p1',
        sku: 'PROD-001',
        name: 'Widget A',
        category: 'Components',
        description: 'Size: 10x10x5cm',
        active: true,
      },
    ],
    [
      'product, minimal',
      mapProduct,
      { uuid: 'p2' },
      { vendor: 'DOTZERO', vendorId: 'p2', sku: null, name: null, category: null, description: null, active: null },
    ],
    [
      'product, is_active "false"',
      mapProduct,
      { uuid: 'p3', number: 7, name: 'N', is_active: 'false' },
      { sku: '7', active: false },
    ],
    [
      'route',
      mapRoute,
      { uuid: 'r1', name: 'Main route', product_uuid: 'p1', created_at: '2024-01-01T00:00:00Z' },
      { vendor: 'DOTZERO', vendorId: 'r1', name: 'Main route', productId: 'p1' },
    ],
    ['route, minimal', mapRoute, { uuid: 'r2' }, { vendor: 'DOTZERO', vendorId: 'r2', name: null, productId: null }],
    [
      'warehouse',
      mapWarehouse,
      { uuid: 'w1', name: 'Main', code: 'WH-A' },
      { vendor: 'DOTZERO', vendorId: 'w1', name: 'Main', code: 'WH-A' },
    ],
    ['warehouse, minimal', mapWarehouse, { uuid: 'w2' }, { vendor: 'DOTZERO', vendorId: 'w2', name: null, code: null }],
    [
      'storage location',
      mapStorageLocation,
      { uuid: 's1', warehouse_uuid: 'w1', name: 'Shelf 1', code: 'S-1' },
      { vendor: 'DOTZERO', vendorId: 's1', warehouseId: 'w1', name: 'Shelf 1', code: 'S-1' },
    ],
    [
      'storage location, minimal',
      mapStorageLocation,
      { uuid: 's2' },
      { vendor: 'DOTZERO', vendorId: 's2', warehouseId: null, name: null, code: null },
    ],
  ] as const)('maps a %s', (_name, map, wire, expected) => {
    expect((map as (w: unknown) => unknown)(wire)).toEqual(expect.objectContaining(expected));
  });

  it.each([
    mapProduct,
    mapRoute,
    mapWarehouse,
    mapStorageLocation,
    (w: unknown) => mapRouteOperation(w),
    (w: unknown) => mapOpHistory(w),
  ])('refuses records without uuid (%#)', (map) => {
    expect(() => map({ name: 'x' })).toThrow(UpstreamError);
  });

  it('maps a route operation', () => {
    expect(
      mapRouteOperation({
        uuid: 'ro1',
        route_uuid: 'r1',
        operation_uuid: 'op-type-1',
        operation_name: 'Cutting',
        sequence: 2,
      }),
    ).toEqual({
      vendor: 'DOTZERO',
      vendorId: 'ro1',
      name: 'Cutting',
      sequence: 2,
      status: null,
      vendorStatus: null,
      workOrderId: null,
      routeId: 'r1',
      operationTypeId: 'op-type-1',
      workerId: null,
      workerName: null,
      deviceId: null,
      deviceName: null,
      goodQuantity: null,
      defectQuantity: null,
      startedAt: null,
      completedAt: null,
    });
  });

  it('fills a route operation without route_uuid from the route asked for, parses a string sequence', () => {
    expect(mapRouteOperation({ uuid: 'ro1', sequence: '3' }, 'r9')).toMatchObject({
      routeId: 'r9',
      sequence: 3,
      name: null,
      operationTypeId: null,
    });
  });

  // The document does not fix which field names a step: every shape seen is read, and none is never "".
  it.each<[string, Record<string, unknown>, string | null, string | null]>([
    ['operation_name', { operation_uuid: 'op1', operation_name: 'Cutting' }, 'Cutting', 'op1'],
    ['name', { operation_uuid: 'op1', name: 'Cutting' }, 'Cutting', 'op1'],
    ['a nested operation', { operation: { uuid: 'op1', number: 'OP-010', name: 'Cutting' } }, 'Cutting', 'op1'],
    ['a nested operation without its name', { operation: { uuid: 'op1', number: 'OP-010' } }, null, 'op1'],
    ['only the operation uuid', { operation_uuid: 'op1' }, null, 'op1'],
    ['an empty name', { operation_uuid: 'op1', operation_name: '' }, null, 'op1'],
    ['nothing', {}, null, null],
  ])('reads a step named by %s', (_shape, fields, name, operationTypeId) => {
    for (const map of [(w: unknown) => mapRouteOperation(w, 'r1'), (w: unknown) => mapOpHistory(w, 'wo1')]) {
      expect(map({ uuid: 's1', ...fields })).toMatchObject({ name, operationTypeId });
    }
  });

  it.each<[unknown, string | null, string | null]>([
    [1, 'PENDING', '1'],
    ['2', 'IN_PROGRESS', '2'],
    [3, 'COMPLETED', '3'],
    [4, 'INCOMPLETE', '4'],
    ['Completed', 'COMPLETED', 'Completed'],
    [9, null, '9'],
    [undefined, null, null],
    ['', null, null],
  ])('op history status %j is %s (vendorStatus %j)', (status, unified, vendorStatus) => {
    expect(mapOpHistory({ uuid: 'h', status })).toMatchObject({ status: unified, vendorStatus });
  });

  it.each<[unknown, string | null]>([
    [{ uuid: 'op1', name: 'Cutting' }, 'Cutting'],
    [{ uuid: 'op1', operation_name: 'Cutting' }, 'Cutting'],
    [{ uuid: 'op1', name: '' }, null],
    [{ uuid: 'op1' }, null],
  ])('reads an operation %j', (wire, name) => {
    expect(mapOperationDefinition(wire)).toEqual({ vendorId: 'op1', name });
  });

  it('maps an op history record', () => {
    expect(
      mapOpHistory({
        uuid: 'h1',
        work_order_uuid: 'wo-uuid-1',
        work_order_id: 'WO-1',
        operation_uuid: 'op-type-1',
        operation_name: 'Cutting',
        sequence: 1,
        status: 3,
        worker_uuid: 'wk1',
        worker_name: 'Lin',
        device_uuid: 'd1',
        device_name: 'Saw 1',
        good: 95,
        defect: '5',
        start_time: '2024-12-01T08:00:00Z',
        end_time: '2024-12-01T09:30:00Z',
      }),
    ).toEqual({
      vendor: 'DOTZERO',
      vendorId: 'h1',
      name: 'Cutting',
      sequence: 1,
      status: 'COMPLETED',
      vendorStatus: '3',
      workOrderId: 'wo-uuid-1',
      routeId: null,
      operationTypeId: 'op-type-1',
      workerId: 'wk1',
      workerName: 'Lin',
      deviceId: 'd1',
      deviceName: 'Saw 1',
      goodQuantity: 95,
      defectQuantity: 5,
      startedAt: Date.parse('2024-12-01T08:00:00Z'),
      completedAt: Date.parse('2024-12-01T09:30:00Z'),
    });
  });

  it('maps a sparse op history record, filling the work order asked for', () => {
    expect(mapOpHistory({ uuid: 'h2', status: '2', start_time: 'soon' }, 'wo-9')).toMatchObject({
      status: 'IN_PROGRESS',
      vendorStatus: '2',
      workOrderId: 'wo-9',
      workerId: null,
      goodQuantity: null,
      defectQuantity: null,
      startedAt: null,
    });
  });

  it.each([
    [
      { uuid: 'ps1', product_uuid: 'p1', warehouse_uuid: 'w1', warehouse_storage_uuid: 's1', qty: 12.5 },
      undefined,
      {
        vendor: 'DOTZERO',
        productId: 'p1',
        warehouseId: 'w1',
        locationId: 's1',
        quantity: 12.5,
        lotNumbers: [],
        workOrderId: null,
      },
    ],
    [
      { qty: '7' },
      'p2',
      {
        vendor: 'DOTZERO',
        productId: 'p2',
        warehouseId: null,
        locationId: null,
        quantity: 7,
        lotNumbers: [],
        workOrderId: null,
      },
    ],
    [{ product_uuid: 'p3' }, 'p9', { productId: 'p3', quantity: 0 }],
  ])('maps product storage %j', (wire, productKey, expected) => {
    expect(mapProductStorage(wire, productKey)).toMatchObject(expected);
  });

  it('refuses product storage that names no product when none was asked for', () => {
    expect(() => mapProductStorage({ qty: 1 })).toThrow(UpstreamError);
  });

  it('sorts route operations by sequence, unsequenced last, ties in vendor order', () => {
    const op = (vendorId: string, sequence: number | null) => ({ vendorId, sequence }) as Operation;
    const sorted = sortBySequence([op('c', 3), op('x', null), op('a', 1), op('b1', 2), op('b2', 2)]);
    expect(sorted.map((o) => o.vendorId)).toEqual(['a', 'b1', 'b2', 'c', 'x']);
  });
});

describe('envelopes and paging arithmetic', () => {
  it.each([
    [{ uuid: 'a' }, { uuid: 'a' }],
    [{ data: { uuid: 'a' } }, { uuid: 'a' }],
    [
      { uuid: 'a', data: { other: 1 } },
      { uuid: 'a', data: { other: 1 } },
    ],
    [[{ uuid: 'a' }], null],
    ['text', null],
    [null, null],
  ])('readOne(%j)', (body, expected) => {
    expect(readOne(body)).toEqual(expected);
  });

  it.each([
    [
      { data: [{ uuid: 'a' }], total: 7 },
      { items: [{ uuid: 'a' }], total: 7 },
    ],
    [
      { data: [], total: '12' },
      { items: [], total: 12 },
    ],
    [{ data: [{ uuid: 'a' }] }, { items: [{ uuid: 'a' }], total: undefined }],
    [
      { data: [], total: -1 },
      { items: [], total: undefined },
    ],
    [
      { data: [], total: 'many' },
      { items: [], total: undefined },
    ],
    [[{ uuid: 'a' }, { uuid: 'b' }], { items: [{ uuid: 'a' }, { uuid: 'b' }], total: undefined }],
    [{ data: { uuid: 'a' } }, null],
    [{ items: [] }, null],
    ['not a list', null],
    // An empty list serialized as null, in the several ways servers do it.
    [null, { items: [], total: 0 }],
    [
      { data: null, total: 0 },
      { items: [], total: 0 },
    ],
    [{ data: null }, { items: [], total: 0 }],
    [{ total: 0 }, { items: [], total: 0 }],
  ])('readList(%j)', (body, expected) => {
    expect(readList(body)).toEqual(expected);
  });

  it.each([
    [{ count: 42 }, 42],
    [{ count: '42' }, 42],
    [42, 42],
    ['42', 42],
    [{ total: 3 }, 3],
    [{ data: 5 }, 5],
    [0, 0],
    [{ count: -1 }, undefined],
    [{ count: 1.5 }, undefined],
    [{}, undefined],
    [null, undefined],
  ])('readCount(%j) = %s', (body, expected) => {
    expect(readCount(body)).toBe(expected);
  });

  it.each([
    // start, limit, received, reported -> total
    [0, 20, 5, 99, 99],
    [40, 20, 20, 1000, 1000],
    [0, 20, 5, undefined, 5],
    [0, 20, 0, undefined, 0],
    [40, 20, 7, undefined, 47],
    [40, 20, 20, undefined, undefined],
    [40, 20, 0, undefined, undefined],
    [0, 100, 100, undefined, undefined],
  ])('knownTotal(start %i, limit %i, received %i, reported %s) = %s', (start, limit, received, reported, expected) => {
    expect(knownTotal(start, limit, received, reported)).toBe(expected);
  });

  it.each([
    [0, 20, { start: 0, limit: 20 }],
    [40, 100, { start: 40, limit: 100 }],
    [0, 500, { start: 0, limit: 100 }],
    [0, 0, { start: 0, limit: 1 }],
    [-5, 10.7, { start: 0, limit: 10 }],
  ])('rangeParams(%i, %i)', (start, limit, expected) => {
    expect(rangeParams(start, limit)).toEqual(expected);
  });
});

describe('work-order list plans (query parameters)', () => {
  const after = new Date('2024-01-01T00:00:00Z');
  const before = new Date('2024-01-31T23:59:59Z');
  const deadline = { deadlineTimeStart: '2024-01-01T00:00:00Z', deadlineTimeEnd: '2024-01-31T23:59:59Z' };

  it.each<[string, WorkOrderQuery, Record<string, string | number | boolean>[]]>([
    ['no filter', {}, [{}]],
    ['empty statuses and priorities are no filter', { statuses: [], priorities: [] }, [{}]],
    ['one status', { statuses: ['IN_PROGRESS'] }, [{ status: 2 }]],
    [
      'statuses in vendor order, one segment each',
      { statuses: ['INCOMPLETE', 'OPEN', 'COMPLETED', 'IN_PROGRESS'] },
      [{ status: 1 }, { status: 2 }, { status: 3 }, { status: 4 }],
    ],
    ['duplicated statuses', { statuses: ['OPEN', 'OPEN'] }, [{ status: 1 }]],
    ['statuses DotZero lacks are skipped', { statuses: ['PAUSED', 'COMPLETED', 'CANCELLED'] }, [{ status: 3 }]],
    ['only statuses DotZero lacks: no segments', { statuses: ['PAUSED', 'ON_HOLD', 'CANCELLED', 'CLOSED'] }, []],
    ['orderNumber is a partial match upstream', { orderNumber: 'WO-2024' }, [{ workOrderID: 'WO-2024' }]],
    ['empty orderNumber is no filter', { orderNumber: '' }, [{}]],
    ['HIGH is is_asap=true', { priorities: ['HIGH'] }, [{ is_asap: true }]],
    ['HIGH with LOW/CRITICAL is still is_asap=true', { priorities: ['HIGH', 'LOW', 'CRITICAL'] }, [{ is_asap: true }]],
    ['HIGH and NORMAL: no priority filter', { priorities: ['NORMAL', 'HIGH'] }, [{}]],
    ['LOW never matches', { priorities: ['LOW'] }, []],
    ['CRITICAL never matches', { priorities: ['CRITICAL'] }, []],
    ['LOW and CRITICAL never match', { priorities: ['LOW', 'CRITICAL'] }, []],
    ['due range is paired', { dueAfter: after, dueBefore: before }, [deadline]],
    [
      'dueAfter alone gets an open end',
      { dueAfter: after },
      [{ deadlineTimeStart: '2024-01-01T00:00:00Z', deadlineTimeEnd: OPEN_RANGE_END }],
    ],
    [
      'dueBefore alone gets an open start',
      { dueBefore: before },
      [{ deadlineTimeStart: OPEN_RANGE_START, deadlineTimeEnd: '2024-01-31T23:59:59Z' }],
    ],
    [
      'milliseconds are kept when present',
      { dueBefore: new Date('2024-01-31T23:59:59.999Z') },
      [{ deadlineTimeStart: OPEN_RANGE_START, deadlineTimeEnd: '2024-01-31T23:59:59.999Z' }],
    ],
    ['a range that ends before it starts matches nothing', { dueAfter: before, dueBefore: after }, []],
    [
      'a one-instant range',
      { dueAfter: after, dueBefore: after },
      [{ deadlineTimeStart: '2024-01-01T00:00:00Z', deadlineTimeEnd: '2024-01-01T00:00:00Z' }],
    ],
    [
      'everything at once',
      {
        statuses: ['OPEN', 'IN_PROGRESS', 'PAUSED'],
        orderNumber: 'WO',
        priorities: ['HIGH'],
        dueAfter: after,
        dueBefore: before,
      },
      [
        { status: 1, workOrderID: 'WO', is_asap: true, ...deadline },
        { status: 2, workOrderID: 'WO', is_asap: true, ...deadline },
      ],
    ],
    ['no segments beat other filters', { statuses: ['CLOSED'], orderNumber: 'WO', dueAfter: after }, []],
  ])('%s', (_name, query, expected) => {
    const plans = workOrderListPlans(query);
    expect(plans.map((p) => p.params)).toEqual(expected);
    expect(plans.every((p) => p.keep === undefined)).toBe(true);
  });

  it('NORMAL alone scans the same upstream query and keeps orders that are not rush', () => {
    const plans = workOrderListPlans({ priorities: ['NORMAL', 'LOW'], statuses: ['OPEN'] });
    expect(plans).toHaveLength(1);
    const [plan] = plans;
    expect(plan?.params).toEqual({ status: 1 });
    expect(plan?.keep?.(mapWorkOrder({ uuid: 'a', status: 1, is_asap: false }))).toBe(true);
    expect(plan?.keep?.(mapWorkOrder({ uuid: 'b', status: 1, is_asap: true }))).toBe(false);
    expect(plan?.key).toContain('is_asap!=true');
  });

  it('segment keys describe the upstream query: distinct per query, stable per query', () => {
    const q: WorkOrderQuery = { statuses: ['OPEN', 'IN_PROGRESS'], orderNumber: 'W&1', dueAfter: after };
    const keys = workOrderListPlans(q).map((p) => p.key);
    expect(keys).toEqual(workOrderListPlans(q).map((p) => p.key));
    expect(new Set(keys).size).toBe(2);
    expect(keys[0]).toBe(
      'DOTZERO GET /v1/workOrders?status=1&workOrderID=W%261&deadlineTimeStart=2024-01-01T00%3A00%3A00Z&deadlineTimeEnd=9999-12-31T23%3A59%3A59Z',
    );
    expect(workOrderListPlans({})[0]?.key).toBe('DOTZERO GET /v1/workOrders');
    const scanKey = workOrderListPlans({ priorities: ['NORMAL'] })[0]?.key;
    expect(scanKey).not.toBe(workOrderListPlans({})[0]?.key);
  });

  it.each([
    [{}, {}, 'DOTZERO GET /v1/products'],
    [{ name: 'Widget' }, { name: 'Widget' }, 'DOTZERO GET /v1/products?name=Widget'],
    [{ sku: 'PROD-0' }, { number: 'PROD-0' }, 'DOTZERO GET /v1/products?number=PROD-0'],
    [{ name: 'W', sku: 'P' }, { name: 'W', number: 'P' }, 'DOTZERO GET /v1/products?name=W&number=P'],
    [{ name: '', sku: '' }, {}, 'DOTZERO GET /v1/products'],
  ])('product list plan %j', (query, params, key) => {
    expect(productListPlan(query)).toEqual({ key, params });
  });

  it.each([
    [new Date('2026-01-24T00:00:00Z'), '2026-01-24T00:00:00Z'],
    [new Date('2026-01-24T00:00:00.250Z'), '2026-01-24T00:00:00.250Z'],
  ])('wireDate(%s)', (d, expected) => {
    expect(wireDate(d)).toBe(expected);
  });

  it('wireDate refuses an invalid date', () => {
    expect(() => wireDate(new Date(Number.NaN), 'dueAfter')).toThrow(ValidationError);
  });

  it.each<[string, DotZeroListFilter, Record<string, unknown>]>([
    ['no filter', {}, {}],
    [
      'status first, then the rest',
      { orderNumber: 'W', status: 2, rushOnly: true },
      { status: 2, workOrderID: 'W', is_asap: true },
    ],
    ['rushOnly false sends no is_asap', { rushOnly: false }, {}],
    [
      'a lone due bound is paired',
      { due: { after: new Date('2024-01-01T00:00:00Z') } },
      { deadlineTimeStart: '2024-01-01T00:00:00Z', deadlineTimeEnd: OPEN_RANGE_END },
    ],
  ])('workOrderListQuery: %s', (_name, filter, params) => {
    expect(Object.entries(workOrderListQuery(filter))).toEqual(Object.entries(params));
  });

  it('productListQuery: the SKU is the wire number', () => {
    expect(productListQuery({ name: 'W', sku: 'P' })).toEqual({ name: 'W', number: 'P' });
  });
});

describe('write bodies', () => {
  it('create: documented fields, status 1, rush for HIGH', () => {
    expect(
      createWorkOrderBody({
        vendor: 'DOTZERO',
        orderNumber: 'WO-2024-001',
        quantity: 100,
        priority: 'HIGH',
        dueDate: new Date('2024-12-31T23:59:59Z'),
        notes: 'Customer order #12345',
        routeId: 'route-1',
      }),
    ).toEqual({
      work_order_id: 'WO-2024-001',
      qty: 100,
      status: 1,
      deadline: '2024-12-31T23:59:59Z',
      is_asap: true,
      memo: 'Customer order #12345',
      route_uuid: 'route-1',
    });
  });

  it('create: only what was given', () => {
    expect(createWorkOrderBody({ vendor: 'DOTZERO', orderNumber: 'W', quantity: 1 })).toEqual({
      work_order_id: 'W',
      qty: 1,
      status: 1,
    });
  });

  it.each<[Priority, boolean]>([
    ['NORMAL', false],
    ['HIGH', true],
  ])('create: priority %s -> is_asap %s', (priority, isAsap) => {
    expect(createWorkOrderBody({ vendor: 'DOTZERO', orderNumber: 'W', quantity: 1, priority }).is_asap).toBe(isAsap);
  });

  // is_asap holds rush or not: LOW and CRITICAL would be stored as NORMAL and HIGH and read back changed.
  it.each<[Priority]>([['LOW'], ['CRITICAL']])(
    'create and update: priority %s is a ValidationError naming priority',
    (priority) => {
      expect(() => createWorkOrderBody({ vendor: 'DOTZERO', orderNumber: 'W', quantity: 1, priority })).toThrow(
        expect.objectContaining({ name: 'ValidationError', field: 'priority', vendor: 'DOTZERO' }),
      );
      expect(() => updateWorkOrderBody({ priority })).toThrow(
        expect.objectContaining({ name: 'ValidationError', field: 'priority' }),
      );
    },
  );

  it('create: a product beside its route is refused, not dropped', () => {
    expect(() =>
      createWorkOrderBody({ vendor: 'DOTZERO', orderNumber: 'W', quantity: 1, productId: 'p1', routeId: 'r1' }),
    ).toThrow(expect.objectContaining({ name: 'ValidationError', field: 'productId' }));
  });

  it.each([
    ['customer', { customer: 'ACME' }],
    ['productId', { productId: 'p1' }],
  ])('create: %s is a ValidationError naming it', (field, extra) => {
    const run = () => createWorkOrderBody({ vendor: 'DOTZERO', orderNumber: 'W', quantity: 1, ...extra });
    expect(run).toThrow(ValidationError);
    try {
      run();
    } catch (err) {
      expect(err).toMatchObject({ field, vendor: 'DOTZERO' });
    }
  });

  it.each<[WorkOrderUpdate, Record<string, unknown>]>([
    [{}, {}],
    [{ orderNumber: 'WO-2' }, { work_order_id: 'WO-2' }],
    [{ quantity: 50 }, { qty: 50 }],
    [{ completedQuantity: 10 }, { good: 10 }],
    [{ priority: 'HIGH' }, { is_asap: true }],
    [{ priority: 'NORMAL' }, { is_asap: false }],
    [{ dueDate: new Date('2024-06-01T00:00:00Z') }, { deadline: '2024-06-01T00:00:00Z' }],
    [{ dueDate: null }, { deadline: null }],
    [{ notes: 'n' }, { memo: 'n' }],
    [{ notes: null }, { memo: null }],
    [{ customer: null }, {}],
    [{ orderNumber: undefined, quantity: 3 }, { qty: 3 }],
    [
      { orderNumber: 'A', quantity: 2, completedQuantity: 1, priority: 'HIGH', dueDate: null, notes: 'x' },
      { work_order_id: 'A', qty: 2, good: 1, is_asap: true, deadline: null, memo: 'x' },
    ],
  ])('update %j -> %j', (input, body) => {
    expect(updateWorkOrderBody(input)).toEqual(body);
  });

  it.each<[string, Record<string, unknown>]>([
    ['customer', { customer: 'ACME' }],
    ['productId', { productId: 'p1' }],
    ['status', { status: 'COMPLETED' }],
    ['routeId', { routeId: 'r1' }],
    ['quantity', { quantity: null }],
    ['orderNumber', { orderNumber: null }],
  ])('update: %s is a ValidationError naming it', (field, input) => {
    let caught: unknown;
    try {
      updateWorkOrderBody(input as WorkOrderUpdate);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ValidationError);
    expect(caught).toMatchObject({ field, vendor: 'DOTZERO' });
  });

  it.each([
    [2, {}, { status: 2 }],
    [2, { notes: 'started', completedQuantity: 5 }, { status: 2, memo: 'started' }],
    [3, { completedQuantity: 95 }, { status: 3, good: 95 }],
    [3, { completedQuantity: 95, notes: 'done', reason: 'ignored' }, { status: 3, good: 95, memo: 'done' }],
    [3, {}, { status: 3 }],
    [4, { notes: 'stopped', completedQuantity: 3 }, { status: 4, memo: 'stopped' }],
    [1, {}, { status: 1 }],
  ] as const)('status change to %i with %j -> %j', (to, extra, body) => {
    expect(statusChangeBody(to, { to: 'OPEN', ...extra })).toEqual(body);
  });
});

describe('error bodies', () => {
  // The field comes back in the gateway's input names (what the caller sent), and DotZero sends no reason code.
  it.each<[unknown, { code?: string; field?: string; reason?: string }]>([
    [{ message: 'qty must be positive', code: 'VALIDATION_ERROR' }, { code: 'VALIDATION_ERROR' }],
    [
      { message: 'Bad', code: 'E422', field: 'qty' },
      { code: 'E422', field: 'quantity' },
    ],
    [{ error: 'invalid_grant' }, { code: 'invalid_grant' }],
    [{ error: { code: 'DUPLICATE', field: 'work_order_id' } }, { code: 'DUPLICATE', field: 'orderNumber' }],
    [{ errors: [{ field: 'deadline' }] }, { field: 'dueDate' }],
    [{ errors: [{ field: 'mystery_field' }] }, { field: 'mystery_field' }],
    [{ field: 'is_asap', reason: 'whatever' }, { field: 'priority' }],
    [{ message: 'NOT_FOUND' }, { code: 'NOT_FOUND' }],
    [{ message: 'token eyJabc.def.ghi is expired' }, {}],
    [{ message: 'abcdef0123456789secret' }, {}],
    [{ code: 'has spaces in it', field: 'bad field!' }, {}],
    [{ code: 'x'.repeat(65), field: 'y'.repeat(65) }, {}],
    ['NOT_FOUND', { code: 'NOT_FOUND' }],
    ['eyJhbGciOi', {}],
    [null, {}],
    [[1, 2], {}],
  ])('describeDotZeroError(%j) -> %j', (body, expected) => {
    expect(describeDotZeroError(422, body)).toEqual(expected);
  });
});

describe('token refresh answers and skill files', () => {
  it.each([
    ['eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjF9.sig', 'eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjF9.sig'],
    ['  eyJa.b.c\n', 'eyJa.b.c'],
    [{ token: 'eyJa.b.c' }, 'eyJa.b.c'],
    [{ access_token: 'eyJa.b.c' }, 'eyJa.b.c'],
    [{ data: 'eyJa.b.c' }, 'eyJa.b.c'],
    ['', undefined],
    ['not a token', undefined],
    [{ message: 'invalid' }, undefined],
    [null, undefined],
    [42, undefined],
  ])('tokenFromRefreshAnswer(%j)', (body, expected) => {
    expect(tokenFromRefreshAnswer(body)).toBe(expected);
  });

  it('reads config.json', () => {
    expect(
      readSkillConfig({ user_api_url: 'https://u', work_order_api_url: 'https://w', other: 1 }, 'config.json'),
    ).toEqual({
      userApiUrl: 'https://u',
      workOrderApiUrl: 'https://w',
    });
  });

  it.each([
    [{ user_api_url: 'https://u' }, /config\.json has no "work_order_api_url"/],
    [{ work_order_api_url: 'https://w', user_api_url: '' }, /config\.json has no "user_api_url"/],
    [[], /config\.json is not a JSON object/],
  ])('config.json %j is refused, naming the key', (json, message) => {
    expect(() => readSkillConfig(json, 'config.json')).toThrow(message);
  });

  it('reads credentials.json, tenant ids given as numbers included', () => {
    expect(
      readSkillCredentials(
        { token: 't', refresh_token: 'r', tenant_id: 7, expires_at: '2026-02-07T10:00:00Z', user: 'x' },
        'credentials.json',
      ),
    ).toEqual({ token: 't', refreshToken: 'r', tenantId: '7', expiresAt: new Date('2026-02-07T10:00:00Z') });
    expect(readSkillCredentials({ token: 't', refresh_token: 'r', tenant_id: 'T' }, 'c')).toEqual({
      token: 't',
      refreshToken: 'r',
      tenantId: 'T',
    });
  });

  it.each([
    [{ refresh_token: 'SECRET-R', tenant_id: 'T' }, /has no "token"/],
    [{ token: 'SECRET-T', tenant_id: 'T' }, /has no "refresh_token"/],
    [{ token: 'SECRET-T', refresh_token: 'SECRET-R' }, /has no "tenant_id"/],
    [{ token: 'SECRET-T', refresh_token: 'SECRET-R', tenant_id: 'T', expires_at: 'soon' }, /malformed "expires_at"/],
  ])('credentials.json %j is refused, naming the key and never a value', (json, message) => {
    let caught: Error | undefined;
    try {
      readSkillCredentials(json, 'credentials.json');
    } catch (err) {
      caught = err as Error;
    }
    expect(caught?.message).toMatch(message);
    expect(caught?.message).not.toContain('SECRET');
  });

  it('writes the new token back keeping every other key', () => {
    const expiresAt = new Date('2026-02-07T11:00:00Z');
    expect(
      credentialsWithToken(
        { token: 'old', refresh_token: 'r', tenant_id: 'T', user: { name: 'x' } },
        'new',
        expiresAt,
        {
          refreshToken: 'r2',
          tenantId: 'T2',
        },
      ),
    ).toEqual({
      token: 'new',
      refresh_token: 'r',
      tenant_id: 'T',
      user: { name: 'x' },
      expires_at: '2026-02-07T11:00:00.000Z',
    });
    expect(credentialsWithToken(null, 'new', expiresAt, { refreshToken: 'r2', tenantId: 'T2' })).toEqual({
      token: 'new',
      refresh_token: 'r2',
      tenant_id: 'T2',
      expires_at: '2026-02-07T11:00:00.000Z',
    });
  });
});

describe('DotZero dates are read strictly, whatever the host time zone', () => {
  it.each([
    ['2024-01-15T08:00:00Z', '2024-01-15T08:00:00.000Z'],
    ['2024-01-15 08:00:00', '2024-01-15T08:00:00.000Z'],
    ['2024-01-15T16:00:00+08:00', '2024-01-15T08:00:00.000Z'],
    ['2024-02-30T00:00:00Z', null],
    ['2022-04-07T016:00:00-07:00', null],
  ])('%s -> %s', (deadline, expected) => {
    const due = mapWorkOrder({ uuid: 'u', status: 1, work_order_id: 'W', deadline }).dueDate;
    expect(due === null ? null : new Date(due).toISOString()).toBe(expected);
  });
});
