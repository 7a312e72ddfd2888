// Object refs declared once, so type files can point at each other (Product <-> Route) without import cycles.
import type { Inventory, Operation, Product, Route, StorageLocation, Warehouse } from '../domain/model.js';
import { builder } from './builder.js';

export const ProductType = builder.objectRef<Product>('Product');
export const RouteType = builder.objectRef<Route>('Route');
export const OperationType = builder.objectRef<Operation>('Operation');
export const InventoryType = builder.objectRef<Inventory>('Inventory');
export const WarehouseType = builder.objectRef<Warehouse>('Warehouse');
export const StorageLocationType = builder.objectRef<StorageLocation>('StorageLocation');
