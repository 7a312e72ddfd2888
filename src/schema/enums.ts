import { OPERATION_STATUSES, PRIORITIES, VENDORS, WORK_ORDER_STATUSES } from '../domain/model.js';
import { builder } from './builder.js';

export const VendorEnum = builder.enumType('Vendor', { values: VENDORS });

export const WorkOrderStatusEnum = builder.enumType('WorkOrderStatus', { values: WORK_ORDER_STATUSES });

export const OperationStatusEnum = builder.enumType('OperationStatus', {
  description:
    'What has become of a step of a work order, alike for every vendor (`vendorStatus` keeps the raw value).',
  values: OPERATION_STATUSES,
});

export const PriorityEnum = builder.enumType('Priority', { values: PRIORITIES });

export const InventorySourceEnum = builder.enumType('InventorySource', {
  description:
    'STOCK: on hand in a storage location. PRODUCED: kits a work order made. ISSUED: components issued to a work order.',
  values: ['STOCK', 'PRODUCED', 'ISSUED'] as const,
});
