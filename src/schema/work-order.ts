import { Kind, type GraphQLResolveInfo, type SelectionNode } from 'graphql';
import { ValidationError } from '../domain/errors.js';
import { WORK_ORDER_TYPE, decodeIdOf, type NodeType } from '../domain/ids.js';
import { PRIORITIES, WORK_ORDER_STATUSES } from '../domain/model.js';
import type {
  DotZeroWorkOrder,
  GenericMesWorkOrder,
  PitneyBowesWorkOrder,
  PitneyBowesWorkOrderLine,
  Vendor,
  WorkOrder,
  WorkOrderQuery,
} from '../domain/model.js';
import { DEFAULT_PAGE_SIZE } from '../loaders/concat.js';
import type { Intent } from '../writes/index.js';
import { builder } from './builder.js';
import { connectionOf, listOrReport, reportFailures, selects } from './connection.js';
import { PriorityEnum, VendorEnum, WorkOrderStatusEnum } from './enums.js';
import { NodeInterface, globalId, whole } from './ids.js';
import { OperationType, ProductType, RouteType, StorageLocationType, WarehouseType } from './refs.js';

const WORK_ORDER_TYPES = [
  'DotZeroWorkOrder',
  'GenericMesWorkOrder',
  'PitneyBowesWorkOrder',
] as const satisfies readonly NodeType[];

export const WorkOrderInterface = builder.interfaceRef<WorkOrder>('WorkOrder').implement({
  description: 'A work order of one vendor. Shared fields are here; each vendor type adds its own.',
  interfaces: [NodeInterface],
  resolveType: (wo) => WORK_ORDER_TYPE[wo.vendor],
  fields: (t) => ({
    id: t.id({ resolve: (wo) => globalId(WORK_ORDER_TYPE[wo.vendor])(wo) }),
    vendor: t.expose('vendor', { type: VendorEnum }),
    vendorId: t.exposeString('vendorId', { description: "The vendor's own key for this order." }),
    orderNumber: t.exposeString('orderNumber'),
    status: t.expose('status', { type: WorkOrderStatusEnum }),
    vendorStatus: t.exposeString('vendorStatus', { description: 'The status exactly as the vendor gives it.' }),
    allowedTransitions: t.field({
      type: [WorkOrderStatusEnum],
      description:
        'Statuses this order can move to now, from the same table the mutations obey (empty for read-only vendors).',
      resolve: (wo, _args, ctx) => ctx.loaders.allowedTransitions(wo),
    }),
    quantity: t.int({ resolve: (r) => whole(r.quantity) as number }),
    completedQuantity: t.int({ resolve: (r) => whole(r.completedQuantity) as number }),
    priority: t.expose('priority', { type: PriorityEnum }),
    dueDate: t.expose('dueDate', { type: 'DateTime', nullable: true }),
    startDate: t.expose('startDate', { type: 'DateTime', nullable: true }),
    completionDate: t.field({
      type: 'DateTime',
      nullable: true,
      resolve: async (wo, _args, ctx) => (await ctx.loaders.detailed(wo)).completionDate,
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', nullable: true }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', nullable: true }),
    customer: t.string({
      nullable: true,
      resolve: async (wo, _args, ctx) => (await ctx.loaders.detailed(wo)).customer,
    }),
    notes: t.string({ nullable: true, resolve: async (wo, _args, ctx) => (await ctx.loaders.detailed(wo)).notes }),
    product: t.field({ type: ProductType, nullable: true, resolve: (wo, _args, ctx) => ctx.loaders.productOf(wo) }),
    route: t.field({ type: RouteType, nullable: true, resolve: (wo, _args, ctx) => ctx.loaders.routeOf(wo) }),
    operations: t.field({
      type: [OperationType],
      description: 'DotZero: the op-history records of this order. Generic MES: its operations. Pitney Bowes: none.',
      resolve: (wo, _args, ctx, info) => listOrReport(ctx, info, () => ctx.loaders.workOrderOperations(wo)),
    }),
  }),
});

export const DotZeroWorkOrderType = builder.objectRef<DotZeroWorkOrder>('DotZeroWorkOrder').implement({
  interfaces: [NodeInterface, WorkOrderInterface],
  isTypeOf: (wo) => WORK_ORDER_TYPE[(wo as WorkOrder).vendor] === 'DotZeroWorkOrder',
  fields: (t) => ({
    isAsap: t.exposeBoolean('isAsap'),
    priorityRanking: t.int({
      nullable: true,
      description: '0 unset, 1 highest.',
      resolve: (r) => whole(r.priorityRanking),
    }),
    orderDueDate: t.expose('orderDueDate', {
      type: 'DateTime',
      nullable: true,
      description: "The customer's due date.",
    }),
    defaultWarehouse: t.field({
      type: WarehouseType,
      nullable: true,
      resolve: (wo, _args, ctx) =>
        wo.defaultWarehouseId ? ctx.loaders.warehouse(wo.vendor, wo.defaultWarehouseId) : null,
    }),
    defaultStorageLocation: t.field({
      type: StorageLocationType,
      nullable: true,
      resolve: (wo, _args, ctx) =>
        wo.defaultStorageLocationId ? ctx.loaders.storageLocation(wo.vendor, wo.defaultStorageLocationId) : null,
    }),
  }),
});

export const GenericMesWorkOrderType = builder.objectRef<GenericMesWorkOrder>('GenericMesWorkOrder').implement({
  interfaces: [NodeInterface, WorkOrderInterface],
  isTypeOf: (wo) => WORK_ORDER_TYPE[(wo as WorkOrder).vendor] === 'GenericMesWorkOrder',
  fields: (t) => ({
    productName: t.exposeString('productName', {
      nullable: true,
      description: 'Product name or SKU as the vendor stores it.',
    }),
    estimatedCompletionDate: t.field({
      type: 'DateTime',
      nullable: true,
      resolve: async (wo, _args, ctx) =>
        ((await ctx.loaders.detailed(wo)) as GenericMesWorkOrder).estimatedCompletionDate,
    }),
  }),
});

/** A line with its order's vendor, so the line's product is asked of that vendor. */
type Component = PitneyBowesWorkOrderLine & { vendor: Vendor };

const PitneyBowesComponent = builder.objectRef<Component>('PitneyBowesComponent').implement({
  description: 'A child item of a Pitney Bowes kit work order (a work-order line).',
  fields: (t) => ({
    sku: t.exposeString('childSku', { nullable: true }),
    product: t.field({
      type: ProductType,
      nullable: true,
      resolve: (line, _args, ctx) =>
        line.childSku === null ? null : ctx.loaders.productOfLine(line.vendor, line.childSku),
    }),
    lotNumbers: t.exposeStringList('lotNumbers'),
    serialNumbers: t.exposeStringList('serialNumbers'),
    issuedQuantity: t.int({ nullable: true, resolve: (r) => whole(r.issuedQuantity) }),
  }),
});

export const PitneyBowesWorkOrderType = builder.objectRef<PitneyBowesWorkOrder>('PitneyBowesWorkOrder').implement({
  interfaces: [NodeInterface, WorkOrderInterface],
  isTypeOf: (wo) => WORK_ORDER_TYPE[(wo as WorkOrder).vendor] === 'PitneyBowesWorkOrder',
  fields: (t) => ({
    clientId: t.exposeString('clientId', { nullable: true }),
    workOrderName: t.exposeString('workOrderName', { nullable: true }),
    type: t.exposeString('type', { nullable: true }),
    node: t.exposeString('node', { nullable: true, description: 'The fulfillment center producing the order.' }),
    sku: t.exposeString('sku', { nullable: true }),
    requestedStartDate: t.expose('requestedStartDate', { type: 'DateTime', nullable: true }),
    startQuantity: t.int({ nullable: true, resolve: (r) => whole(r.startQuantity) }),
    rejectedQuantity: t.int({ nullable: true, resolve: (r) => whole(r.rejectedQuantity) }),
    scrappedQuantity: t.int({ nullable: true, resolve: (r) => whole(r.scrappedQuantity) }),
    lotNumbers: t.exposeStringList('lotNumbers'),
    components: t.field({
      type: [PitneyBowesComponent],
      resolve: (wo) => wo.lines.map((line) => ({ ...line, vendor: wo.vendor })),
    }),
    cancelDate: t.expose('cancelDate', { type: 'DateTime', nullable: true }),
    cancelReason: t.exposeString('cancelReason', { nullable: true }),
    pbCreateDate: t.expose('pbCreateDate', { type: 'DateTime', nullable: true }),
    pbUpdateDate: t.expose('pbUpdateDate', { type: 'DateTime', nullable: true }),
    pbCancelDate: t.expose('pbCancelDate', { type: 'DateTime', nullable: true }),
  }),
});

export const WorkOrderFilter = builder.inputType('WorkOrderFilter', {
  description: 'Empty lists and empty strings mean "no restriction".',
  fields: (t) => ({
    vendors: t.field({ type: [VendorEnum] }),
    statuses: t.field({ type: [WorkOrderStatusEnum] }),
    priorities: t.field({ type: [PriorityEnum] }),
    orderNumber: t.string({ description: 'Part of the order number (case-insensitive where the vendor allows).' }),
    dueAfter: t.field({ type: 'DateTime', description: 'Due on or after (inclusive).' }),
    dueBefore: t.field({ type: 'DateTime', description: 'Due on or before (inclusive).' }),
  }),
});

const WorkOrderConnection = connectionOf<WorkOrder>('WorkOrder', WorkOrderInterface);

export type FilterInput = {
  vendors?: Vendor[] | null;
  statuses?: WorkOrderQuery['statuses'] | null;
  priorities?: WorkOrderQuery['priorities'] | null;
  orderNumber?: string | null;
  dueAfter?: Date | null;
  dueBefore?: Date | null;
};

export function toQuery(filter: FilterInput | null | undefined): { vendors: Vendor[] | null; query: WorkOrderQuery } {
  const f = filter ?? {};
  if (f.dueAfter && f.dueBefore && f.dueAfter.getTime() > f.dueBefore.getTime()) {
    throw new ValidationError('filter.dueAfter must not be after filter.dueBefore', 'filter.dueAfter');
  }
  const orderNumber = f.orderNumber?.trim();
  if (orderNumber && orderNumber.length > 64)
    throw new ValidationError('filter.orderNumber must be at most 64 characters', 'filter.orderNumber');
  const query: WorkOrderQuery = {};
  // Canonical order (the enums' own), so equal filters plan equal vendor calls and cursors fit both.
  if (f.statuses?.length) query.statuses = WORK_ORDER_STATUSES.filter((s) => f.statuses!.includes(s));
  if (f.priorities?.length) query.priorities = PRIORITIES.filter((p) => f.priorities!.includes(p));
  if (orderNumber) query.orderNumber = orderNumber;
  if (f.dueAfter) query.dueAfter = f.dueAfter;
  if (f.dueBefore) query.dueBefore = f.dueBefore;
  return { vendors: f.vendors?.length ? f.vendors : null, query };
}

function workOrderKey(id: string) {
  const { type, vendor, key } = decodeIdOf(id, WORK_ORDER_TYPES);
  if (WORK_ORDER_TYPE[vendor] !== type) throw new ValidationError(`Invalid id: ${type} is not a ${vendor} type`, 'id');
  return { vendor, key };
}

builder.queryFields((t) => ({
  workOrder: t.field({
    type: WorkOrderInterface,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, ctx) => {
      const { vendor, key } = workOrderKey(String(id));
      return ctx.loaders.workOrder(vendor, key);
    },
  }),
  workOrders: t.field({
    type: WorkOrderConnection,
    description:
      'Work orders of every vendor the caller may see: DotZero first, then the generic MES, then Pitney Bowes, each in its own order.',
    args: {
      first: t.arg.int({ defaultValue: DEFAULT_PAGE_SIZE }),
      after: t.arg.string(),
      filter: t.arg({ type: WorkOrderFilter }),
    },
    resolve: async (_root, args, ctx, info) => {
      const { vendors, query } = toQuery(args.filter);
      const page = await ctx.loaders.workOrderPage({
        first: args.first,
        after: args.after,
        vendors,
        query,
        wantTotal: selects(info, 'totalCount'),
      });
      reportFailures(ctx, page.failures, info);
      return page;
    },
  }),
}));

const CreateWorkOrderInput = builder.inputType('CreateWorkOrderInput', {
  fields: (t) => ({
    vendor: t.field({ type: VendorEnum, required: true }),
    orderNumber: t.string({ required: true }),
    quantity: t.int({ required: true }),
    priority: t.field({ type: PriorityEnum }),
    dueDate: t.field({ type: 'DateTime' }),
    customer: t.string({ description: 'Generic MES only.' }),
    notes: t.string(),
    product: t.string({ description: 'Generic MES: product name or SKU (required there).' }),
    routeId: t.id({ description: 'DotZero: the route (a Route id) that gives the order its product and steps.' }),
  }),
});

const UpdateWorkOrderInput = builder.inputType('UpdateWorkOrderInput', {
  description: 'Only the fields given are changed. Each vendor accepts its own updatable fields.',
  fields: (t) => ({
    orderNumber: t.string(),
    quantity: t.int(),
    completedQuantity: t.int({ description: 'DotZero only (the generic MES sets it on completion).' }),
    priority: t.field({ type: PriorityEnum }),
    dueDate: t.field({ type: 'DateTime' }),
    customer: t.string({ description: 'Generic MES only.' }),
    notes: t.string(),
    product: t.string({ description: 'Generic MES only.' }),
  }),
});

const DeleteWorkOrderPayload = builder.objectRef<{ id: string }>('DeleteWorkOrderPayload').implement({
  fields: (t) => ({ deletedId: t.exposeID('id') }),
});

/**
 * The key a mutation field runs under. Header and argument are one namespace: the same key means the same thing
 * whichever way it came, and the writes bind it to one operation and its arguments. A header covers a request, so
 * it may stand for one mutation field only: with several, each needs its own `idempotencyKey` argument (refused
 * before any field runs, as every field of such a request sees the same header).
 */
function idempotencyKeyOf(
  arg: string | null | undefined,
  header: string | undefined,
  info: GraphQLResolveInfo,
): string | undefined {
  if (arg && header && arg !== header) {
    throw new ValidationError('idempotencyKey argument and Idempotency-Key header differ', 'idempotencyKey');
  }
  if (arg) return arg;
  if (header && rootFieldCount(info) > 1) {
    throw new ValidationError(
      'An Idempotency-Key header covers a request with one mutation field; give each field its own idempotencyKey argument',
      'Idempotency-Key',
    );
  }
  return header || undefined;
}

/** Root fields the operation selects, counting those of fragments spread or inlined at the root. */
function rootFieldCount(info: GraphQLResolveInfo): number {
  const count = (selections: readonly SelectionNode[]): number =>
    selections.reduce((n, sel) => {
      if (sel.kind === Kind.FIELD) return n + (sel.name.value.startsWith('__') ? 0 : 1);
      if (sel.kind === Kind.INLINE_FRAGMENT) return n + count(sel.selectionSet.selections);
      const fragment = info.fragments[sel.name.value];
      return n + (fragment ? count(fragment.selectionSet.selections) : 0);
    }, 0);
  return count(info.operation.selectionSet.selections);
}

/** Domain input fields as the client wrote them: each is a field of the mutation's `input` argument. */
const INPUT_PATH: Readonly<Record<string, string>> = {
  vendor: 'input.vendor',
  orderNumber: 'input.orderNumber',
  quantity: 'input.quantity',
  completedQuantity: 'input.completedQuantity',
  priority: 'input.priority',
  dueDate: 'input.dueDate',
  customer: 'input.customer',
  notes: 'input.notes',
  productId: 'input.product',
  routeId: 'input.routeId',
};

/**
 * The loaders and vendors name refused fields in domain terms (`productId`); a client wrote `input.product`. The
 * same refusal says the same field whether the gateway or the vendor refused it.
 */
function asInputPath<T>(write: Promise<T>): Promise<T> {
  return write.catch((err: unknown) => {
    if (err instanceof ValidationError && err.field !== undefined && INPUT_PATH[err.field] !== undefined) {
      throw new ValidationError(err.message, INPUT_PATH[err.field], err.vendor);
    }
    throw err;
  });
}

builder.mutationFields((t) => {
  const intent = (
    name: Intent,
    description: string,
    extra: 'complete' | 'cancel' | 'transition' | 'none' | 'hold' = 'none',
  ) =>
    t.field({
      type: WorkOrderInterface,
      description,
      authScopes: { write: true },
      args: {
        id: t.arg.id({ required: true }),
        idempotencyKey: t.arg.string(),
        ...(extra === 'complete' ? { completedQuantity: t.arg.int(), notes: t.arg.string() } : {}),
        ...(extra === 'cancel' || extra === 'hold' ? { reason: t.arg.string() } : {}),
        ...(extra === 'transition' ? { to: t.arg({ type: WorkOrderStatusEnum, required: true }) } : {}),
      },
      resolve: (_root, args, ctx, info) => {
        const a = args as {
          id: string | number;
          idempotencyKey?: string | null;
          completedQuantity?: number | null;
          notes?: string | null;
          reason?: string | null;
          to?: WorkOrder['status'];
        };
        const { vendor, key } = workOrderKey(String(a.id));
        return ctx.writes.transition(
          vendor,
          key,
          {
            intent: name,
            ...(a.to ? { to: a.to } : {}),
            completedQuantity: a.completedQuantity ?? null,
            notes: a.notes ?? null,
            reason: a.reason ?? null,
          },
          idempotencyKeyOf(a.idempotencyKey, ctx.idempotencyKey, info),
        );
      },
    });

  return {
    createWorkOrder: t.field({
      type: WorkOrderInterface,
      authScopes: { write: true },
      args: { input: t.arg({ type: CreateWorkOrderInput, required: true }), idempotencyKey: t.arg.string() },
      resolve: (_root, { input, idempotencyKey }, ctx, info) => {
        let routeId: string | undefined;
        if (input.routeId != null) {
          const route = decodeIdOf(String(input.routeId), ['Route'], 'input.routeId');
          if (route.vendor !== input.vendor)
            throw new ValidationError('input.routeId belongs to another vendor', 'input.routeId', input.vendor);
          routeId = route.key;
        }
        return asInputPath(
          ctx.writes.create(
            {
              vendor: input.vendor,
              orderNumber: input.orderNumber,
              quantity: input.quantity,
              ...(input.priority != null ? { priority: input.priority } : {}),
              ...(input.dueDate != null ? { dueDate: input.dueDate } : {}),
              ...(input.customer != null ? { customer: input.customer } : {}),
              ...(input.notes != null ? { notes: input.notes } : {}),
              ...(input.product != null ? { productId: input.product } : {}),
              ...(routeId ? { routeId } : {}),
            },
            idempotencyKeyOf(idempotencyKey, ctx.idempotencyKey, info),
          ),
        );
      },
    }),
    updateWorkOrder: t.field({
      type: WorkOrderInterface,
      authScopes: { write: true },
      args: {
        id: t.arg.id({ required: true }),
        input: t.arg({ type: UpdateWorkOrderInput, required: true }),
        idempotencyKey: t.arg.string(),
      },
      resolve: (_root, { id, input, idempotencyKey }, ctx, info) => {
        const { vendor, key } = workOrderKey(String(id));
        return asInputPath(
          ctx.writes.update(
            vendor,
            key,
            {
              ...(input.orderNumber != null ? { orderNumber: input.orderNumber } : {}),
              ...(input.quantity != null ? { quantity: input.quantity } : {}),
              ...(input.completedQuantity != null ? { completedQuantity: input.completedQuantity } : {}),
              ...(input.priority != null ? { priority: input.priority } : {}),
              ...(input.dueDate !== undefined ? { dueDate: input.dueDate } : {}),
              ...(input.customer !== undefined ? { customer: input.customer } : {}),
              ...(input.notes !== undefined ? { notes: input.notes } : {}),
              ...(input.product != null ? { productId: input.product } : {}),
            },
            idempotencyKeyOf(idempotencyKey, ctx.idempotencyKey, info),
          ),
        );
      },
    }),
    deleteWorkOrder: t.field({
      type: DeleteWorkOrderPayload,
      authScopes: { write: true },
      args: { id: t.arg.id({ required: true }), idempotencyKey: t.arg.string() },
      resolve: async (_root, { id, idempotencyKey }, ctx, info) => {
        const { vendor, key } = workOrderKey(String(id));
        await ctx.writes.remove(vendor, key, idempotencyKeyOf(idempotencyKey, ctx.idempotencyKey, info));
        return { id: String(id) };
      },
    }),
    startWorkOrder: intent('start', 'Moves the order to IN_PROGRESS (generic MES: its /start action).'),
    pauseWorkOrder: intent('pause', 'Moves the order to PAUSED.'),
    holdWorkOrder: intent('hold', 'Moves the order to ON_HOLD.', 'hold'),
    resumeWorkOrder: intent('resume', 'Moves a PAUSED, ON_HOLD or INCOMPLETE order back to IN_PROGRESS.'),
    completeWorkOrder: intent(
      'complete',
      'Moves the order to COMPLETED (generic MES: its /complete action).',
      'complete',
    ),
    cancelWorkOrder: intent('cancel', 'Moves the order to CANCELLED.', 'cancel'),
    transitionWorkOrder: intent(
      'transition',
      'Moves the order to any status its vendor allows from the current one.',
      'transition',
    ),
  };
});
