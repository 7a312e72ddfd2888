/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/** STOCK: on hand in a storage location. PRODUCED: kits a work order made. ISSUED: components issued to a work order. */
export type InventorySource =
  | 'ISSUED'
  | 'PRODUCED'
  | 'STOCK';

/** What has become of a step of a work order, alike for every vendor (`vendorStatus` keeps the raw value). */
export type OperationStatus =
  | 'COMPLETED'
  | 'INCOMPLETE'
  | 'IN_PROGRESS'
  | 'PENDING';

export type Priority =
  | 'CRITICAL'
  | 'HIGH'
  | 'LOW'
  | 'NORMAL';

export type ProductFilter = {
  /** Part of the name. */
  name?: string | null | undefined;
  /** Part of the SKU (DotZero: product number). */
  sku?: string | null | undefined;
  vendors?: Array<Vendor> | null | undefined;
};

export type Vendor =
  | 'DOTZERO'
  | 'GENERIC_MES'
  | 'PITNEY_BOWES';

/** Empty lists and empty strings mean "no restriction". */
export type WorkOrderFilter = {
  /** Due on or after (inclusive). */
  dueAfter?: string | null | undefined;
  /** Due on or before (inclusive). */
  dueBefore?: string | null | undefined;
  /** Part of the order number (case-insensitive where the vendor allows). */
  orderNumber?: string | null | undefined;
  priorities?: Array<Priority> | null | undefined;
  statuses?: Array<WorkOrderStatus> | null | undefined;
  vendors?: Array<Vendor> | null | undefined;
};

export type WorkOrderStatus =
  | 'CANCELLED'
  | 'CLOSED'
  | 'COMPLETED'
  | 'INCOMPLETE'
  | 'IN_PROGRESS'
  | 'ON_HOLD'
  | 'OPEN'
  | 'PAUSED';

export type VendorsQueryVariables = Exact<{ [key: string]: never; }>;


export type VendorsQuery = { vendors: Array<{ vendor: Vendor, simulated: boolean, capabilities: { read: boolean, create: boolean, update: boolean, delete: boolean, transitions: boolean, batchLookup: boolean } }> };

export type ProductsQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
  filter?: ProductFilter | null | undefined;
}>;


export type ProductsQuery = { products: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, vendor: Vendor, sku: string | null, name: string | null } }> } };

export type ProductInventoryQueryVariables = Exact<{
  productId: string | number;
}>;


export type ProductInventoryQuery = { inventory: Array<{ vendor: Vendor, source: InventorySource, quantity: number, lotNumbers: Array<string>, warehouse: { id: string, name: string | null } | null, location: { id: string, name: string | null } | null }> };

export type WarehousesQueryVariables = Exact<{ [key: string]: never; }>;


export type WarehousesQuery = { warehouses: Array<{ id: string, vendor: Vendor, name: string | null, code: string | null, locations: Array<{ id: string, name: string | null }> }> };

export type RouteByIdQueryVariables = Exact<{
  id: string | number;
}>;


export type RouteByIdQuery = { route: { id: string, name: string | null, product: { id: string, name: string | null } | null, operations: Array<{ id: string, sequence: number | null, name: string | null }> } | null };

export type SideBySideQueryVariables = Exact<{ [key: string]: never; }>;


export type SideBySideQuery = { dotzero: { totalCount: number, pageInfo: { endCursor: string | null }, edges: Array<{ node:
        | { vendor: Vendor, orderNumber: string, status: WorkOrderStatus, quantity: number, dueDate: string | null }
        | { vendor: Vendor, orderNumber: string, status: WorkOrderStatus, quantity: number, dueDate: string | null }
        | { vendor: Vendor, orderNumber: string, status: WorkOrderStatus, quantity: number, dueDate: string | null }
       }> }, genericMes: { totalCount: number, pageInfo: { endCursor: string | null }, edges: Array<{ node:
        | { vendor: Vendor, orderNumber: string, status: WorkOrderStatus, quantity: number, dueDate: string | null }
        | { vendor: Vendor, orderNumber: string, status: WorkOrderStatus, quantity: number, dueDate: string | null }
        | { vendor: Vendor, orderNumber: string, status: WorkOrderStatus, quantity: number, dueDate: string | null }
       }> }, pitneyBowes: { totalCount: number, pageInfo: { endCursor: string | null }, edges: Array<{ node:
        | { vendor: Vendor, orderNumber: string, status: WorkOrderStatus, quantity: number, dueDate: string | null }
        | { vendor: Vendor, orderNumber: string, status: WorkOrderStatus, quantity: number, dueDate: string | null }
        | { vendor: Vendor, orderNumber: string, status: WorkOrderStatus, quantity: number, dueDate: string | null }
       }> } };

export type OrdersFragment = { totalCount: number, pageInfo: { endCursor: string | null }, edges: Array<{ node:
      | { vendor: Vendor, orderNumber: string, status: WorkOrderStatus, quantity: number, dueDate: string | null }
      | { vendor: Vendor, orderNumber: string, status: WorkOrderStatus, quantity: number, dueDate: string | null }
      | { vendor: Vendor, orderNumber: string, status: WorkOrderStatus, quantity: number, dueDate: string | null }
     }> };

export type AcrossVendorsQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
  filter?: WorkOrderFilter | null | undefined;
}>;


export type AcrossVendorsQuery = { workOrders: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ cursor: string, node:
        | { id: string, vendor: Vendor, vendorId: string, orderNumber: string, status: WorkOrderStatus, vendorStatus: string, priority: Priority, dueDate: string | null, quantity: number, completedQuantity: number, allowedTransitions: Array<WorkOrderStatus>, product: { id: string, name: string | null, sku: string | null } | null, route: { id: string, name: string | null, operations: Array<{ id: string, sequence: number | null, name: string | null }> } | null, operations: Array<{ id: string, sequence: number | null, name: string | null, status: OperationStatus | null }> }
        | { id: string, vendor: Vendor, vendorId: string, orderNumber: string, status: WorkOrderStatus, vendorStatus: string, priority: Priority, dueDate: string | null, quantity: number, completedQuantity: number, allowedTransitions: Array<WorkOrderStatus>, product: { id: string, name: string | null, sku: string | null } | null, route: { id: string, name: string | null, operations: Array<{ id: string, sequence: number | null, name: string | null }> } | null, operations: Array<{ id: string, sequence: number | null, name: string | null, status: OperationStatus | null }> }
        | { id: string, vendor: Vendor, vendorId: string, orderNumber: string, status: WorkOrderStatus, vendorStatus: string, priority: Priority, dueDate: string | null, quantity: number, completedQuantity: number, allowedTransitions: Array<WorkOrderStatus>, product: { id: string, name: string | null, sku: string | null } | null, route: { id: string, name: string | null, operations: Array<{ id: string, sequence: number | null, name: string | null }> } | null, operations: Array<{ id: string, sequence: number | null, name: string | null, status: OperationStatus | null }> }
       }> } };

export type WorkOrderByIdQueryVariables = Exact<{
  id: string | number;
}>;


export type WorkOrderByIdQuery = { workOrder:
    | { id: string, vendor: Vendor, vendorId: string, orderNumber: string, status: WorkOrderStatus, vendorStatus: string, allowedTransitions: Array<WorkOrderStatus>, quantity: number, completedQuantity: number, priority: Priority, dueDate: string | null, startDate: string | null, completionDate: string | null, customer: string | null, notes: string | null }
    | { id: string, vendor: Vendor, vendorId: string, orderNumber: string, status: WorkOrderStatus, vendorStatus: string, allowedTransitions: Array<WorkOrderStatus>, quantity: number, completedQuantity: number, priority: Priority, dueDate: string | null, startDate: string | null, completionDate: string | null, customer: string | null, notes: string | null }
    | { sku: string | null, lotNumbers: Array<string>, id: string, vendor: Vendor, vendorId: string, orderNumber: string, status: WorkOrderStatus, vendorStatus: string, allowedTransitions: Array<WorkOrderStatus>, quantity: number, completedQuantity: number, priority: Priority, dueDate: string | null, startDate: string | null, completionDate: string | null, customer: string | null, notes: string | null, components: Array<{ sku: string | null, issuedQuantity: number | null, lotNumbers: Array<string> }> }
   | null };

export type WorkOrderStatusesQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
  filter?: WorkOrderFilter | null | undefined;
}>;


export type WorkOrderStatusesQuery = { workOrders: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node:
        | { id: string, vendor: Vendor, orderNumber: string, status: WorkOrderStatus, dueDate: string | null }
        | { id: string, vendor: Vendor, orderNumber: string, status: WorkOrderStatus, dueDate: string | null }
        | { id: string, vendor: Vendor, orderNumber: string, status: WorkOrderStatus, dueDate: string | null }
       }> } };

export type StartWorkOrderMutationVariables = Exact<{
  id: string | number;
  idempotencyKey?: string | null | undefined;
}>;


export type StartWorkOrderMutation = { startWorkOrder:
    | { id: string, status: WorkOrderStatus, allowedTransitions: Array<WorkOrderStatus> }
    | { id: string, status: WorkOrderStatus, allowedTransitions: Array<WorkOrderStatus> }
    | { id: string, status: WorkOrderStatus, allowedTransitions: Array<WorkOrderStatus> }
   };

export type CompleteWorkOrderMutationVariables = Exact<{
  id: string | number;
  completedQuantity?: number | null | undefined;
  notes?: string | null | undefined;
}>;


export type CompleteWorkOrderMutation = { completeWorkOrder:
    | { id: string, status: WorkOrderStatus, completedQuantity: number }
    | { id: string, status: WorkOrderStatus, completedQuantity: number }
    | { id: string, status: WorkOrderStatus, completedQuantity: number }
   };

export const OrdersFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"Orders"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"WorkOrderConnection"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"vendor"}},{"kind":"Field","name":{"kind":"Name","value":"orderNumber"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"quantity"}},{"kind":"Field","name":{"kind":"Name","value":"dueDate"}}]}}]}}]}}]} as unknown as DocumentNode<OrdersFragment, unknown>;
export const VendorsDocument = {"__meta__":{"hash":"sha256:c4dbdd909d92b6ebcadd2798ba580da8f33901585b26857fec607429911e1e2d"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Vendors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"vendors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"vendor"}},{"kind":"Field","name":{"kind":"Name","value":"simulated"}},{"kind":"Field","name":{"kind":"Name","value":"capabilities"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"read"}},{"kind":"Field","name":{"kind":"Name","value":"create"}},{"kind":"Field","name":{"kind":"Name","value":"update"}},{"kind":"Field","name":{"kind":"Name","value":"delete"}},{"kind":"Field","name":{"kind":"Name","value":"transitions"}},{"kind":"Field","name":{"kind":"Name","value":"batchLookup"}}]}}]}}]}}]} as unknown as DocumentNode<VendorsQuery, VendorsQueryVariables>;
export const ProductsDocument = {"__meta__":{"hash":"sha256:8af8cb660fbc611df8211435408effb3557093de750e2b695ec2ac39a7a8a121"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Products"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}},"defaultValue":{"kind":"IntValue","value":"20"}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ProductFilter"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"products"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"vendor"}},{"kind":"Field","name":{"kind":"Name","value":"sku"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}}]}}]} as unknown as DocumentNode<ProductsQuery, ProductsQueryVariables>;
export const ProductInventoryDocument = {"__meta__":{"hash":"sha256:8c7ff94d6f9f63fef10dad02b32c77e25e8fe65828616bb796433ccda9b3141a"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ProductInventory"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"productId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"inventory"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"productId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"productId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"vendor"}},{"kind":"Field","name":{"kind":"Name","value":"source"}},{"kind":"Field","name":{"kind":"Name","value":"quantity"}},{"kind":"Field","name":{"kind":"Name","value":"lotNumbers"}},{"kind":"Field","name":{"kind":"Name","value":"warehouse"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"location"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}}]} as unknown as DocumentNode<ProductInventoryQuery, ProductInventoryQueryVariables>;
export const WarehousesDocument = {"__meta__":{"hash":"sha256:a9e0ef8dd65b409b63cf70752442016d6b4ef663dfba58635ff68fba24cf5d3f"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Warehouses"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"warehouses"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"vendor"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"locations"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}}]} as unknown as DocumentNode<WarehousesQuery, WarehousesQueryVariables>;
export const RouteByIdDocument = {"__meta__":{"hash":"sha256:64287e2db2542191b60f01a0f037cd272ba049c1ecb033cfc92531523ea63265"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"RouteById"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"route"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"product"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"operations"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"sequence"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}}]} as unknown as DocumentNode<RouteByIdQuery, RouteByIdQueryVariables>;
export const SideBySideDocument = {"__meta__":{"hash":"sha256:d5dbc35a2ce06afd1873225a7bc50e3d761cc17f887da52eb05575a10f4839b0"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"SideBySide"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","alias":{"kind":"Name","value":"dotzero"},"name":{"kind":"Name","value":"workOrders"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"3"}},{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"vendors"},"value":{"kind":"ListValue","values":[{"kind":"EnumValue","value":"DOTZERO"}]}}]}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"Orders"}}]}},{"kind":"Field","alias":{"kind":"Name","value":"genericMes"},"name":{"kind":"Name","value":"workOrders"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"3"}},{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"vendors"},"value":{"kind":"ListValue","values":[{"kind":"EnumValue","value":"GENERIC_MES"}]}}]}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"Orders"}}]}},{"kind":"Field","alias":{"kind":"Name","value":"pitneyBowes"},"name":{"kind":"Name","value":"workOrders"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"3"}},{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"vendors"},"value":{"kind":"ListValue","values":[{"kind":"EnumValue","value":"PITNEY_BOWES"}]}}]}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"Orders"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"Orders"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"WorkOrderConnection"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"vendor"}},{"kind":"Field","name":{"kind":"Name","value":"orderNumber"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"quantity"}},{"kind":"Field","name":{"kind":"Name","value":"dueDate"}}]}}]}}]}}]} as unknown as DocumentNode<SideBySideQuery, SideBySideQueryVariables>;
export const AcrossVendorsDocument = {"__meta__":{"hash":"sha256:80df8be89b8a2a2a800c9033d1ad778ca451f992b6028a48efd8be0f428a4d3a"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"AcrossVendors"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}},"defaultValue":{"kind":"IntValue","value":"50"}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"WorkOrderFilter"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"workOrders"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"vendor"}},{"kind":"Field","name":{"kind":"Name","value":"vendorId"}},{"kind":"Field","name":{"kind":"Name","value":"orderNumber"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"vendorStatus"}},{"kind":"Field","name":{"kind":"Name","value":"priority"}},{"kind":"Field","name":{"kind":"Name","value":"dueDate"}},{"kind":"Field","name":{"kind":"Name","value":"quantity"}},{"kind":"Field","name":{"kind":"Name","value":"completedQuantity"}},{"kind":"Field","name":{"kind":"Name","value":"allowedTransitions"}},{"kind":"Field","name":{"kind":"Name","value":"product"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"sku"}}]}},{"kind":"Field","name":{"kind":"Name","value":"route"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"operations"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"sequence"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"operations"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"sequence"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<AcrossVendorsQuery, AcrossVendorsQueryVariables>;
export const WorkOrderByIdDocument = {"__meta__":{"hash":"sha256:204f635a9997795252e1ee16e576665bfa2881218eb4f974ebb47d96340d2186"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"WorkOrderById"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"workOrder"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"vendor"}},{"kind":"Field","name":{"kind":"Name","value":"vendorId"}},{"kind":"Field","name":{"kind":"Name","value":"orderNumber"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"vendorStatus"}},{"kind":"Field","name":{"kind":"Name","value":"allowedTransitions"}},{"kind":"Field","name":{"kind":"Name","value":"quantity"}},{"kind":"Field","name":{"kind":"Name","value":"completedQuantity"}},{"kind":"Field","name":{"kind":"Name","value":"priority"}},{"kind":"Field","name":{"kind":"Name","value":"dueDate"}},{"kind":"Field","name":{"kind":"Name","value":"startDate"}},{"kind":"Field","name":{"kind":"Name","value":"completionDate"}},{"kind":"Field","name":{"kind":"Name","value":"customer"}},{"kind":"Field","name":{"kind":"Name","value":"notes"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"PitneyBowesWorkOrder"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"sku"}},{"kind":"Field","name":{"kind":"Name","value":"lotNumbers"}},{"kind":"Field","name":{"kind":"Name","value":"components"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"sku"}},{"kind":"Field","name":{"kind":"Name","value":"issuedQuantity"}},{"kind":"Field","name":{"kind":"Name","value":"lotNumbers"}}]}}]}}]}}]}}]} as unknown as DocumentNode<WorkOrderByIdQuery, WorkOrderByIdQueryVariables>;
export const WorkOrderStatusesDocument = {"__meta__":{"hash":"sha256:e65cabd774c3e88e5f6c46e83ac2f915e16e8242b012bae37706024f191467b6"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"WorkOrderStatuses"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}},"defaultValue":{"kind":"IntValue","value":"20"}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"WorkOrderFilter"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"workOrders"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"vendor"}},{"kind":"Field","name":{"kind":"Name","value":"orderNumber"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"dueDate"}}]}}]}}]}}]}}]} as unknown as DocumentNode<WorkOrderStatusesQuery, WorkOrderStatusesQueryVariables>;
export const StartWorkOrderDocument = {"__meta__":{"hash":"sha256:d3a37034fe860c9aabf62115a2b40c60db0a7495a535d72727fdf221d0f46b1a"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"StartWorkOrder"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"idempotencyKey"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"startWorkOrder"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}},{"kind":"Argument","name":{"kind":"Name","value":"idempotencyKey"},"value":{"kind":"Variable","name":{"kind":"Name","value":"idempotencyKey"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"allowedTransitions"}}]}}]}}]} as unknown as DocumentNode<StartWorkOrderMutation, StartWorkOrderMutationVariables>;
export const CompleteWorkOrderDocument = {"__meta__":{"hash":"sha256:8c015ba2c8e9fc229c0632fb7ec1e3879095d6ccd6682a54ab256ff3b7160e85"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CompleteWorkOrder"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"completedQuantity"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"notes"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"completeWorkOrder"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}},{"kind":"Argument","name":{"kind":"Name","value":"completedQuantity"},"value":{"kind":"Variable","name":{"kind":"Name","value":"completedQuantity"}}},{"kind":"Argument","name":{"kind":"Name","value":"notes"},"value":{"kind":"Variable","name":{"kind":"Name","value":"notes"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"completedQuantity"}}]}}]}}]} as unknown as DocumentNode<CompleteWorkOrderMutation, CompleteWorkOrderMutationVariables>;