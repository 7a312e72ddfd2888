// The bench's workloads: each a GraphQL document for the gateway and the same work done directly (direct.ts).
import type { Direct } from './direct.js';

export interface Scenario {
  name: string;
  what: string;
  /** Many vendor calls per query: a query takes seconds under 50 connections, so its runs are longer (see run.ts). */
  heavy?: boolean;
  query: (ctx: { orderId: string }) => string;
  /**
   * Sent by documentId, as partners send the catalog's operations: the bench adds the document to the gateway's
   * manifest (PERSISTED_DOCUMENTS_FILE), so it is prepared at start-up like the catalog.
   */
  persisted?: { variables: (ctx: { orderId: string }) => Record<string, unknown> };
  direct: (d: Direct, ctx: { orderUuid: string }) => Promise<unknown>;
}

const RELATIONS = 'route { name operations { name } } product { name }';

export const SCENARIOS: Scenario[] = [
  {
    name: 'W1',
    what: '20 DotZero orders: id, orderNumber, status',
    query: () =>
      '{ workOrders(first: 20, filter: { vendors: [DOTZERO] }) { edges { node { id orderNumber status } } } }',
    direct: (d) => d.W1(),
  },
  {
    name: 'W2',
    what: 'W1 + route { name operations { name } } product { name }',
    heavy: true,
    query: () =>
      `{ workOrders(first: 20, filter: { vendors: [DOTZERO] }) { edges { node { id orderNumber status ${RELATIONS} } } } }`,
    direct: (d) => d.W2(),
  },
  {
    name: 'W3',
    what: '50 orders, 17+17+16 over the three vendors, with relations',
    heavy: true,
    query: () =>
      `{ dz: workOrders(first: 17, filter: { vendors: [DOTZERO] }) { ...page }
         gm: workOrders(first: 17, filter: { vendors: [GENERIC_MES] }) { ...page }
         pb: workOrders(first: 16, filter: { vendors: [PITNEY_BOWES] }) { ...page } }
       fragment page on WorkOrderConnection { edges { node { id vendor orderNumber status ${RELATIONS} } } }`,
    direct: (d) => d.W3(),
  },
  {
    name: 'W4',
    what: 'one DotZero order by id',
    query: ({ orderId }) => `{ workOrder(id: "${orderId}") { id orderNumber status vendorStatus quantity } }`,
    direct: (d, { orderUuid }) => d.W4(orderUuid),
  },
  {
    name: 'P1',
    what: 'W1 as a persisted operation (documentId)',
    persisted: { variables: () => ({}) },
    query: () =>
      'query P1 { workOrders(first: 20, filter: { vendors: [DOTZERO] }) { edges { node { id orderNumber status } } } }',
    direct: (d) => d.W1(),
  },
  {
    name: 'P4',
    what: 'W4 as a persisted operation (documentId, the id a variable)',
    persisted: { variables: ({ orderId }) => ({ id: orderId }) },
    query: () => 'query P4($id: ID!) { workOrder(id: $id) { id orderNumber status vendorStatus quantity } }',
    direct: (d, { orderUuid }) => d.W4(orderUuid),
  },
];
