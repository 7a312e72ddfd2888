import { describe, expect, it } from 'vitest';
import { UpstreamError } from '../../src/domain/errors.js';
import type { GenericMesWorkOrder } from '../../src/domain/model.js';
import {
  completeBody,
  createBody,
  describeError,
  listParams,
  listQueryKey,
  statusBody,
  toInstant,
  toNumber,
  toOperation,
  toPriority,
  toText,
  toWorkOrder,
  toWorkOrderPage,
  unwrapOne,
  updateBody,
} from '../../src/vendors/generic-mes/mapping.js';

// The document's own examples.
const listItem = {
  id: 'wo-123',
  orderNumber: 'WO-2024-001',
  status: 'IN_PROGRESS',
  product: 'Widget A',
  quantity: 100,
  completedQuantity: 45,
  priority: 'HIGH',
  dueDate: '2024-01-25T00:00:00Z',
  startDate: '2024-01-15T08:00:00Z',
  createdAt: '2024-01-15T10:30:00Z',
  updatedAt: '2024-01-15T11:00:00Z',
};

const detail = {
  ...listItem,
  customer: 'Customer Corp',
  estimatedCompletionDate: '2024-01-22T00:00:00Z',
  notes: 'Rush order - expedite processing',
  operationIds: ['op-456', 'op-457', 'op-458'],
};

const d = (iso: string) => new Date(iso);
/** An Instant, as records hold their dates. */
const at = (iso: string) => Date.parse(iso);

describe('toWorkOrder: the document examples', () => {
  it('maps a list item (subset) with detailed:false and no operations', () => {
    expect(toWorkOrder(listItem, false)).toEqual<GenericMesWorkOrder>({
      vendor: 'GENERIC_MES',
      vendorId: 'wo-123',
      orderNumber: 'WO-2024-001',
      status: 'IN_PROGRESS',
      vendorStatus: 'IN_PROGRESS',
      productName: 'Widget A',
      quantity: 100,
      completedQuantity: 45,
      priority: 'HIGH',
      dueDate: at('2024-01-25T00:00:00Z'),
      startDate: at('2024-01-15T08:00:00Z'),
      completionDate: null,
      estimatedCompletionDate: null,
      createdAt: at('2024-01-15T10:30:00Z'),
      updatedAt: at('2024-01-15T11:00:00Z'),
      customer: null,
      notes: null,
      detailed: false,
      operationIds: [],
    });
  });

  it('maps the detail with detailed:true and every detail-only field', () => {
    expect(toWorkOrder({ ...detail, completionDate: '2024-01-22T14:30:00Z' }, true)).toEqual<GenericMesWorkOrder>({
      vendor: 'GENERIC_MES',
      vendorId: 'wo-123',
      orderNumber: 'WO-2024-001',
      status: 'IN_PROGRESS',
      vendorStatus: 'IN_PROGRESS',
      productName: 'Widget A',
      quantity: 100,
      completedQuantity: 45,
      priority: 'HIGH',
      dueDate: at('2024-01-25T00:00:00Z'),
      startDate: at('2024-01-15T08:00:00Z'),
      completionDate: at('2024-01-22T14:30:00Z'),
      estimatedCompletionDate: at('2024-01-22T00:00:00Z'),
      createdAt: at('2024-01-15T10:30:00Z'),
      updatedAt: at('2024-01-15T11:00:00Z'),
      customer: 'Customer Corp',
      notes: 'Rush order - expedite processing',
      detailed: true,
      operationIds: ['op-456', 'op-457', 'op-458'],
    });
  });

  it('maps the create answer (no customer, no notes)', () => {
    const wo = toWorkOrder(
      {
        id: 'wo-999',
        orderNumber: 'WO-2024-NEW',
        status: 'OPEN',
        product: 'Widget B',
        quantity: 50,
        completedQuantity: 0,
        priority: 'NORMAL',
        dueDate: '2024-02-01T00:00:00Z',
        createdAt: '2024-01-15T15:30:00Z',
        updatedAt: '2024-01-15T15:30:00Z',
      },
      false,
    );
    expect(wo).toMatchObject({ vendorId: 'wo-999', status: 'OPEN', priority: 'NORMAL', customer: null, notes: null });
  });
});

describe('toWorkOrder: odd inputs', () => {
  it.each<[string, Record<string, unknown>, Partial<GenericMesWorkOrder>]>([
    ['numeric id', { id: 42 }, { vendorId: '42' }],
    ['numeric orderNumber', { orderNumber: 7 }, { orderNumber: '7' }],
    ['missing orderNumber', { orderNumber: undefined }, { orderNumber: '' }],
    ['quantity as a string', { quantity: '100' }, { quantity: 100 }],
    ['missing quantity', { quantity: undefined }, { quantity: 0 }],
    ['completedQuantity as a string', { completedQuantity: ' 45 ' }, { completedQuantity: 45 }],
    ['missing completedQuantity', { completedQuantity: undefined }, { completedQuantity: 0 }],
    ['null completedQuantity', { completedQuantity: null }, { completedQuantity: 0 }],
    ['lower-case priority', { priority: 'critical' }, { priority: 'CRITICAL' }],
    ['unknown priority', { priority: 'URGENT' }, { priority: 'NORMAL' }],
    ['missing priority', { priority: undefined }, { priority: 'NORMAL' }],
    ['LOW priority', { priority: 'LOW' }, { priority: 'LOW' }],
    ['aliased status kept exact', { status: 'Canceled' }, { status: 'CANCELLED', vendorStatus: 'Canceled' }],
    ['malformed date (PB example)', { dueDate: '2022-04-07T016:00:00-07:00' }, { dueDate: null }],
    ['impossible date', { dueDate: '2024-02-30T00:00:00Z' }, { dueDate: null }],
    ['date-only due date', { dueDate: '2024-01-25' }, { dueDate: at('2024-01-25T00:00:00Z') }],
    ['date with offset', { startDate: '2024-01-15T08:00:00+02:00' }, { startDate: at('2024-01-15T06:00:00Z') }],
    ['date without zone is UTC', { createdAt: '2024-01-15T10:30:00' }, { createdAt: at('2024-01-15T10:30:00Z') }],
    ['empty date', { updatedAt: '' }, { updatedAt: null }],
    ['null product', { product: null }, { productName: null }],
    ['empty customer', { customer: '' }, { customer: null }],
    ['operationIds with numbers', { operationIds: ['op-1', 2] }, { operationIds: ['op-1', '2'] }],
    ['one operationId not in an array', { operationIds: 'op-1' }, { operationIds: ['op-1'] }],
    ['unknown extra fields ignored', { color: 'red' }, { vendorId: 'wo-123' }],
  ])('%s', (_name, patch, expected) => {
    expect(toWorkOrder({ ...detail, ...patch }, true)).toMatchObject(expected);
  });

  it.each<[string, unknown]>([
    ['null', null],
    ['an array', [listItem]],
    ['a string', 'wo-123'],
    ['no id', { ...listItem, id: undefined }],
    ['empty id', { ...listItem, id: '' }],
  ])('refuses %s as a bad response', (_name, wire) => {
    expect(() => toWorkOrder(wire, false)).toThrow(UpstreamError);
    try {
      toWorkOrder(wire, false);
    } catch (err) {
      expect(err).toMatchObject({ vendor: 'GENERIC_MES', kind: 'bad_response' });
    }
  });
});

describe('toOperation', () => {
  const wire = {
    id: 'op-456',
    workOrderId: 'wo-123',
    name: 'Cutting',
    sequence: 1,
    status: 'COMPLETED',
    startedAt: '2024-01-15T08:00:00Z',
    completedAt: '2024-01-15T09:30:00Z',
  };

  it('maps the assumed shape', () => {
    expect(toOperation(wire)).toEqual({
      vendor: 'GENERIC_MES',
      vendorId: 'op-456',
      name: 'Cutting',
      sequence: 1,
      status: 'COMPLETED',
      vendorStatus: 'COMPLETED',
      workOrderId: 'wo-123',
      routeId: null,
      operationTypeId: null,
      workerId: null,
      workerName: null,
      deviceId: null,
      deviceName: null,
      goodQuantity: null,
      defectQuantity: null,
      startedAt: at('2024-01-15T08:00:00Z'),
      completedAt: at('2024-01-15T09:30:00Z'),
    });
  });

  it.each<[string, Record<string, unknown>, Record<string, unknown>]>([
    [
      'PENDING status',
      { status: 'PENDING', startedAt: null, completedAt: null },
      { status: 'PENDING', vendorStatus: 'PENDING', startedAt: null, completedAt: null },
    ],
    [
      'IN_PROGRESS status',
      { status: 'IN_PROGRESS', completedAt: null },
      { status: 'IN_PROGRESS', vendorStatus: 'IN_PROGRESS', completedAt: null },
    ],
    ['lower-case status', { status: 'in progress' }, { status: 'IN_PROGRESS', vendorStatus: 'in progress' }],
    ['unknown status kept raw, no unified status', { status: 'REWORK' }, { status: null, vendorStatus: 'REWORK' }],
    ['missing status', { status: undefined }, { status: null, vendorStatus: null }],
    ['sequence as a string', { sequence: '3' }, { sequence: 3 }],
    ['missing sequence', { sequence: undefined }, { sequence: null }],
    ['missing name', { name: undefined }, { name: null }],
    ['empty name', { name: '' }, { name: null }],
    ['numeric ids', { id: 9, workOrderId: 12 }, { vendorId: '9', workOrderId: '12' }],
    ['bad date', { startedAt: 'yesterday' }, { startedAt: null }],
  ])('%s', (_name, patch, expected) => {
    expect(toOperation({ ...wire, ...patch })).toMatchObject(expected);
  });

  it('refuses an operation without an id', () => {
    expect(() => toOperation({ name: 'x' })).toThrow(UpstreamError);
  });
});

describe('unwrapOne', () => {
  it.each<[string, unknown, unknown]>([
    ['the data envelope', { data: { id: 'a' } }, { id: 'a' }],
    ['a bare object', { id: 'a' }, { id: 'a' }],
    ['data that is not an object', { data: 'x', id: 'a' }, { data: 'x', id: 'a' }],
    ['null', null, null],
  ])('%s', (_name, body, expected) => {
    expect(unwrapOne(body)).toEqual(expected);
  });
});

describe('toWorkOrderPage', () => {
  it.each<[string, unknown, number, number, { ids: string[]; total: number }]>([
    [
      'document shape',
      { data: [listItem], pagination: { page: 1, limit: 20, total: 150, hasMore: true } },
      1,
      20,
      { ids: ['wo-123'], total: 150 },
    ],
    ['total as a string', { data: [listItem], pagination: { total: '7' } }, 1, 20, { ids: ['wo-123'], total: 7 }],
    ['no pagination, last page', { data: [listItem] }, 3, 10, { ids: ['wo-123'], total: 21 }],
    ['no total, hasMore', { data: [listItem], pagination: { hasMore: true } }, 2, 1, { ids: ['wo-123'], total: 3 }],
    ['bare array', [listItem, { ...listItem, id: 'wo-124' }], 1, 100, { ids: ['wo-123', 'wo-124'], total: 2 }],
    ['empty page beyond the end', { data: [], pagination: { total: 5 } }, 2, 10, { ids: [], total: 5 }],
    ['empty page without total', { data: [] }, 4, 10, { ids: [], total: 0 }],
    ['empty list serialized as null', { data: null, pagination: { total: 0 } }, 1, 20, { ids: [], total: 0 }],
  ])('%s', (_name, body, page, size, expected) => {
    const got = toWorkOrderPage(body, page, size);
    expect(got.items.map((w) => w.vendorId)).toEqual(expected.ids);
    expect(got.total).toBe(expected.total);
    expect(got.items.every((w) => !w.detailed && w.operationIds.length === 0)).toBe(true);
  });

  it.each<[string, unknown]>([
    ['null', null],
    ['data not an array', { data: { id: 'x' } }],
    ['no data', { pagination: { total: 1 } }],
  ])('refuses %s', (_name, body) => {
    expect(() => toWorkOrderPage(body, 1, 20)).toThrow(UpstreamError);
  });
});

describe('scalars', () => {
  it.each<[unknown, number | null]>([
    ['2024-01-25T00:00:00Z', at('2024-01-25T00:00:00Z')],
    ['2024-01-25T00:00:00.123Z', at('2024-01-25T00:00:00.123Z')],
    ['2024-01-25T00:00:00.123+0200', at('2024-01-24T22:00:00.123Z')],
    ['2024-01-25T10:00', at('2024-01-25T10:00:00Z')],
    ['2024-01-25 10:00:00Z', at('2024-01-25T10:00:00Z')],
    ['2024-02-29', at('2024-02-29T00:00:00Z')],
    ['2023-02-29', null],
    ['2024-13-01', null],
    ['2024-01-25T24:00:00Z', null],
    ['2024-01-25T10:60:00Z', null],
    ['2022-04-07T016:00:00-07:00', null],
    ['Jan 25 2024', null],
    ['', null],
    [1706140800000, at('2024-01-25T00:00:00Z')],
    [Number.NaN, null],
    [null, null],
    [undefined, null],
    [{}, null],
  ])('toInstant(%j)', (value, expected) => {
    expect(toInstant(value)).toEqual(expected);
  });

  it.each<[unknown, number | null]>([
    [5, 5],
    ['5', 5],
    [' 2.5 ', 2.5],
    ['', null],
    ['x', null],
    [Number.POSITIVE_INFINITY, null],
    [null, null],
    [true, null],
  ])('toNumber(%j)', (value, expected) => {
    expect(toNumber(value)).toBe(expected);
  });

  it.each<[unknown, string | null]>([
    ['a', 'a'],
    ['', null],
    [3, '3'],
    [Number.NaN, null],
    [false, null],
    [null, null],
  ])('toText(%j)', (value, expected) => {
    expect(toText(value)).toBe(expected);
  });

  it.each<[unknown, string]>([
    ['LOW', 'LOW'],
    ['NORMAL', 'NORMAL'],
    ['HIGH', 'HIGH'],
    ['CRITICAL', 'CRITICAL'],
    [' high ', 'HIGH'],
    ['MEDIUM', 'NORMAL'],
    [3, 'NORMAL'],
    [null, 'NORMAL'],
  ])('toPriority(%j)', (value, expected) => {
    expect(toPriority(value)).toBe(expected);
  });
});

describe('list query parameters', () => {
  it.each<[number, number, Parameters<typeof listParams>[2], Record<string, string | number>]>([
    [1, 20, undefined, { page: 1, limit: 20, sort: 'createdAt' }],
    [3, 100, 'OPEN', { page: 3, limit: 100, sort: 'createdAt', status: 'OPEN' }],
    [2, 25, 'IN_PROGRESS', { page: 2, limit: 25, sort: 'createdAt', status: 'IN_PROGRESS' }],
    [1, 1, 'COMPLETED', { page: 1, limit: 1, sort: 'createdAt', status: 'COMPLETED' }],
    [1, 100, 'CANCELLED', { page: 1, limit: 100, sort: 'createdAt', status: 'CANCELLED' }],
    [1, 100, 'PAUSED', { page: 1, limit: 100, sort: 'createdAt', status: 'PAUSED' }],
  ])('listParams(%i, %i, %s)', (page, limit, status, expected) => {
    expect(listParams(page, limit, status)).toEqual(expected);
  });

  it.each<[Parameters<typeof listQueryKey>[0], string]>([
    [undefined, 'sort=createdAt'],
    ['PAUSED', 'sort=createdAt&status=PAUSED'],
  ])('listQueryKey(%s)', (status, expected) => {
    expect(listQueryKey(status)).toBe(expected);
  });
});

describe('request bodies', () => {
  it.each<[string, Parameters<typeof createBody>[0], Record<string, unknown>]>([
    [
      'every field',
      {
        vendor: 'GENERIC_MES',
        orderNumber: 'WO-2024-NEW',
        quantity: 50,
        priority: 'NORMAL',
        customer: 'Customer Corp',
        dueDate: d('2024-02-01T00:00:00Z'),
        notes: 'Standard order',
        productId: 'Widget B',
      },
      {
        orderNumber: 'WO-2024-NEW',
        product: 'Widget B',
        quantity: 50,
        priority: 'NORMAL',
        customer: 'Customer Corp',
        dueDate: '2024-02-01T00:00:00.000Z',
        notes: 'Standard order',
      },
    ],
    [
      'only what is required',
      { vendor: 'GENERIC_MES', orderNumber: 'A', quantity: 1 },
      { orderNumber: 'A', quantity: 1 },
    ],
  ])('createBody: %s', (_name, input, expected) => {
    expect(createBody(input)).toEqual(expected);
  });

  it.each<[string, Parameters<typeof updateBody>[0], Record<string, unknown>]>([
    ['nothing', {}, {}],
    ['orderNumber', { orderNumber: 'B' }, { orderNumber: 'B' }],
    ['product', { productId: 'Widget C' }, { product: 'Widget C' }],
    ['quantity', { quantity: 7 }, { quantity: 7 }],
    ['priority', { priority: 'CRITICAL' }, { priority: 'CRITICAL' }],
    ['customer', { customer: 'X' }, { customer: 'X' }],
    ['customer cleared', { customer: null }, { customer: null }],
    ['dueDate', { dueDate: d('2024-03-01T12:00:00Z') }, { dueDate: '2024-03-01T12:00:00.000Z' }],
    ['dueDate cleared', { dueDate: null }, { dueDate: null }],
    ['notes', { notes: 'n' }, { notes: 'n' }],
    ['notes cleared', { notes: null }, { notes: null }],
    ['completedQuantity is never sent', { completedQuantity: 3, quantity: 4 }, { quantity: 4 }],
  ])('updateBody: %s', (_name, input, expected) => {
    expect(updateBody(input)).toEqual(expected);
  });

  it.each<[Parameters<typeof statusBody>[0], string | undefined, Record<string, unknown>]>([
    ['PAUSED', 'Waiting for material', { status: 'PAUSED', notes: 'Waiting for material' }],
    ['ON_HOLD', undefined, { status: 'ON_HOLD' }],
    ['CANCELLED', '', { status: 'CANCELLED', notes: '' }],
  ])('statusBody(%s, %j)', (to, notes, expected) => {
    expect(statusBody(to, notes)).toEqual(expected);
  });

  it.each<[number | undefined, string | undefined, Record<string, unknown>]>([
    [100, 'Production complete', { completedQuantity: 100, notes: 'Production complete' }],
    [0, undefined, { completedQuantity: 0 }],
    [undefined, 'done', { notes: 'done' }],
    [undefined, undefined, {}],
  ])('completeBody(%j, %j)', (qty, notes, expected) => {
    expect(completeBody(qty, notes)).toEqual(expected);
  });
});

describe('errors', () => {
  // The field comes back in the gateway's input names (product is productId to the caller).
  it.each<[string, unknown, { code?: string; field?: string; reason?: string }]>([
    [
      'validation (document)',
      {
        error: {
          code: 'VALIDATION_ERROR',
          message: 'Validation failed',
          details: { field: 'quantity', reason: 'MUST_BE_POSITIVE' },
        },
      },
      { code: 'VALIDATION_ERROR', field: 'quantity', reason: 'MUST_BE_POSITIVE' },
    ],
    [
      'product is productId',
      { error: { code: 'VALIDATION_ERROR', details: { field: 'product', reason: 'REQUIRED' } } },
      { code: 'VALIDATION_ERROR', field: 'productId', reason: 'REQUIRED' },
    ],
    ['not found (document)', { error: { code: 'NOT_FOUND', message: 'Work order not found' } }, { code: 'NOT_FOUND' }],
    [
      'conflict (document)',
      { error: { code: 'INVALID_STATE_TRANSITION', message: 'Cannot start work order that is already completed' } },
      { code: 'INVALID_STATE_TRANSITION' },
    ],
    [
      'field only',
      { error: { code: 'VALIDATION_ERROR', details: { field: 'dueDate' } } },
      { code: 'VALIDATION_ERROR', field: 'dueDate' },
    ],
    [
      'reason only',
      { error: { code: 'VALIDATION_ERROR', details: { reason: 'BAD' } } },
      { code: 'VALIDATION_ERROR', reason: 'BAD' },
    ],
    ['unsafe code dropped', { error: { code: 'Bearer abc def', message: 'x' } }, {}],
    [
      'unsafe details dropped',
      { error: { code: 'VALIDATION_ERROR', details: { field: 'a b', reason: 'key sk_live_123 was rejected' } } },
      { code: 'VALIDATION_ERROR' },
    ],
    [
      'details not an object',
      { error: { code: 'VALIDATION_ERROR', details: 'field=quantity' } },
      { code: 'VALIDATION_ERROR' },
    ],
    ['error as a string', { error: 'UNAUTHORIZED' }, { code: 'UNAUTHORIZED' }],
    ['top-level code', { code: 'RATE_LIMITED' }, { code: 'RATE_LIMITED' }],
    ['text body', 'Service Unavailable', {}],
    ['null body', null, {}],
  ])('describeError: %s', (_name, body, expected) => {
    const got = describeError(400, body);
    // Only the keys that hold a value: `code: undefined` and a missing code say the same.
    expect(Object.fromEntries(Object.entries(got).filter(([, v]) => v !== undefined))).toEqual(expected);
  });

  it('never repeats the message', () => {
    const got = describeError(400, { error: { code: 'VALIDATION_ERROR', message: 'token=SECRET123' } });
    expect(JSON.stringify(got)).not.toContain('SECRET123');
  });
});
