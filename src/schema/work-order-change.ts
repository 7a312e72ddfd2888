import type { WorkOrder, WorkOrderQuery } from '../domain/model.js';
import { WATCHED_FIELDS, type Watched, type WorkOrderChange } from '../events/changes.js';
import type { IssuedTicket } from '../shared/tickets.js';
import { builder } from './builder.js';
import { WorkOrderStatusEnum } from './enums.js';
import { WorkOrderFilter, WorkOrderInterface, toQuery, type FilterInput } from './work-order.js';

const ChangeKindEnum = builder.enumType('WorkOrderChangeKind', { values: ['CREATED', 'UPDATED', 'DELETED'] as const });
const ChangeSourceEnum = builder.enumType('WorkOrderChangeSource', {
  description:
    "Where the gateway saw the change first: the vendor's webhook, its polling of the vendor, or a mutation made through it.",
  values: ['WEBHOOK', 'POLL', 'MUTATION'] as const,
});
const toEnum = (f: string) => f.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase();
const ChangedFieldEnum = builder.enumType('WorkOrderChangedField', { values: WATCHED_FIELDS.map(toEnum) });
const date = (v: string | number | null) => (typeof v === 'string' ? new Date(v) : null);
const num = (v: string | number | null) => (typeof v === 'number' ? v : null);

const PreviousValues = builder.objectRef<Watched>('WorkOrderPreviousValues').implement({
  description: 'The watched fields as they were before the change.',
  fields: (t) => ({
    status: t.field({
      type: WorkOrderStatusEnum,
      nullable: true,
      resolve: (w) => w.status as WorkOrder['status'] | null,
    }),
    vendorStatus: t.string({
      nullable: true,
      resolve: (w) => (w.vendorStatus === null ? null : String(w.vendorStatus)),
    }),
    quantity: t.int({ nullable: true, resolve: (w) => num(w.quantity) }),
    completedQuantity: t.int({ nullable: true, resolve: (w) => num(w.completedQuantity) }),
    dueDate: t.field({ type: 'DateTime', nullable: true, resolve: (w) => date(w.dueDate) }),
    startDate: t.field({ type: 'DateTime', nullable: true, resolve: (w) => date(w.startDate) }),
    completionDate: t.field({ type: 'DateTime', nullable: true, resolve: (w) => date(w.completionDate) }),
  }),
});

const WorkOrderChangeType = builder.objectRef<WorkOrderChange>('WorkOrderChange').implement({
  description: 'A work order that changed: the order as it is now, and which of its watched fields moved.',
  fields: (t) => ({
    kind: t.field({ type: ChangeKindEnum, resolve: (c) => c.kind }),
    source: t.field({ type: ChangeSourceEnum, resolve: (c) => c.source }),
    order: t.field({ type: WorkOrderInterface, resolve: (c) => c.order }),
    changedFields: t.field({ type: [ChangedFieldEnum], resolve: (c) => c.changedFields.map(toEnum) as never }),
    previous: t.field({ type: PreviousValues, nullable: true, resolve: (c) => c.previous }),
    occurredAt: t.field({ type: 'DateTime', resolve: (c) => c.occurredAt }),
  }),
});

function matches(wo: WorkOrder, q: WorkOrderQuery): boolean {
  if (q.statuses && !q.statuses.includes(wo.status)) return false;
  if (q.priorities && !q.priorities.includes(wo.priority)) return false;
  if (q.orderNumber && !wo.orderNumber.toLowerCase().includes(q.orderNumber.toLowerCase())) return false;
  if (q.dueAfter && (wo.dueDate === null || wo.dueDate < q.dueAfter.getTime())) return false;
  if (q.dueBefore && (wo.dueDate === null || wo.dueDate > q.dueBefore.getTime())) return false;
  return true;
}

builder.subscriptionType({});

builder.subscriptionFields((t) => ({
  workOrderChanged: t.field({
    type: WorkOrderChangeType,
    description: 'Work orders of the vendors the caller may see, as they change (status, quantities, dates).',
    args: { filter: t.arg({ type: WorkOrderFilter }) },
    subscribe: (_root, args, ctx) => {
      const { vendors, query } = toQuery(args.filter as FilterInput | null | undefined);
      // A vendor the caller may not see is refused, as a query for its orders is.
      for (const v of vendors ?? []) ctx.loaders.assertVisible(v);
      const wanted = vendors ?? ctx.loaders.visibleVendors;
      return ctx.changes.subscribe((c) => wanted.includes(c.order.vendor) && matches(c.order, query));
    },
    resolve: (change) => change,
  }),
}));

const SubscriptionTicket = builder.objectRef<IssuedTicket>('SubscriptionTicket').implement({
  description:
    'A pass for one subscription over GET /graphql/stream (a browser EventSource, which cannot send headers): good once, until expiresAt, as the caller who asked for it.',
  fields: (t) => ({
    ticket: t.exposeString('ticket'),
    expiresAt: t.field({ type: 'DateTime', resolve: (x) => x.expiresAt }),
  }),
});

builder.mutationField('createSubscriptionTicket', (t) =>
  t.field({
    type: SubscriptionTicket,
    description:
      'A single-use ticket for `new EventSource("/graphql/stream?ticket=…&query=…")`: the subscription runs as this caller, with its vendor scope.',
    resolve: (_root, _args, ctx) => ctx.issueTicket(),
  }),
);
