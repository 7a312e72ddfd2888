import { OperationStatusEnum, VendorEnum } from './enums.js';
import { encodeId } from '../domain/ids.js';
import { NodeInterface, whole } from './ids.js';
import { OperationType } from './refs.js';

OperationType.implement({
  description:
    'A step: a DotZero route operation or op-history record (with worker, device, good and defect counts), or a generic MES operation.',
  interfaces: [NodeInterface],
  isTypeOf: (o) => typeof o === 'object' && o !== null && 'sequence' in o && 'workerId' in o,
  fields: (t) => ({
    id: t.id({ resolve: (op, _args, ctx) => encodeId('Operation', op.vendor, ctx.loaders.operationKey(op)) }),
    vendor: t.expose('vendor', { type: VendorEnum }),
    vendorId: t.exposeString('vendorId'),
    name: t.exposeString('name', {
      nullable: true,
      description: "The step's name: from its record, else from the operation it performs; null when neither tells it.",
    }),
    sequence: t.int({ nullable: true, resolve: (r) => whole(r.sequence) }),
    status: t.expose('status', {
      type: OperationStatusEnum,
      nullable: true,
      description: 'Null for a route step (nothing done yet) or a vendor value its document does not name.',
    }),
    vendorStatus: t.exposeString('vendorStatus', {
      nullable: true,
      description: 'The status exactly as the vendor gives it.',
    }),
    workerId: t.exposeString('workerId', { nullable: true }),
    workerName: t.exposeString('workerName', { nullable: true }),
    deviceId: t.exposeString('deviceId', { nullable: true }),
    deviceName: t.exposeString('deviceName', { nullable: true }),
    goodQuantity: t.int({ nullable: true, resolve: (r) => whole(r.goodQuantity) }),
    defectQuantity: t.int({ nullable: true, resolve: (r) => whole(r.defectQuantity) }),
    startedAt: t.expose('startedAt', { type: 'DateTime', nullable: true }),
    completedAt: t.expose('completedAt', { type: 'DateTime', nullable: true }),
  }),
});
