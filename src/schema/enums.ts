import { PRIORITIES, VENDORS, WORK_ORDER_STATUSES } from '../domain/model.js';
import { builder } from './builder.js';

export const VendorEnum = builder.enumType('Vendor', { values: VENDORS });

export const WorkOrderStatusEnum = builder.enumType('WorkOrderStatus', { values: WORK_ORDER_STATUSES });

export const PriorityEnum = builder.enumType('Priority', { values: PRIORITIES });

export const InventorySourceEnum = builder.enumType('InventorySource', {
  description: 'STOCK: on hand in a storage location. PRODUCED: kits a work order made. ISSUED: components issued to a work order.',
  values: ['STOCK', 'PRODUCED', 'ISSUED'] as const,
});
