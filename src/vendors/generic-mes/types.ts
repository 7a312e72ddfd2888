// Wire shapes of the generic MES REST v2 API, as its document and docs/wire-assumptions.md describe them. Every
// field is optional and loosely typed on purpose: a real deployment may leave fields out or send numbers as
// strings, and mapping.ts decides what to make of that. Only mapping.ts reads these fields.
import type { GmesStatus } from './states.js';

/**
 * A work order. The list call returns a subset (id, orderNumber, status, product, quantity, completedQuantity,
 * priority, dueDate, startDate, createdAt, updatedAt); the detail call adds customer, notes, operationIds,
 * estimatedCompletionDate and completionDate.
 */
export interface GmesWorkOrderWire {
  id?: string | number;
  orderNumber?: string | number | null;
  status?: string | null;
  product?: string | null;
  quantity?: number | string | null;
  completedQuantity?: number | string | null;
  priority?: string | null;
  dueDate?: string | null;
  startDate?: string | null;
  completionDate?: string | null;
  estimatedCompletionDate?: string | null;
  customer?: string | null;
  notes?: string | null;
  operationIds?: (string | number)[] | null;
  createdAt?: string | null;
  updatedAt?: string | null;
}

/** `GET /operations/{id}` (wire-assumptions: not in the vendor document). */
export interface GmesOperationWire {
  id?: string | number;
  workOrderId?: string | number | null;
  name?: string | null;
  sequence?: number | string | null;
  /** PENDING, IN_PROGRESS or COMPLETED. */
  status?: string | null;
  startedAt?: string | null;
  completedAt?: string | null;
}

/** Every single-resource answer: `{ data: {...} }`. */
export interface GmesEnvelope<T> {
  data?: T;
}

export interface GmesPagination {
  page?: number | string;
  limit?: number | string;
  total?: number | string;
  hasMore?: boolean;
}

/** `GET /work-orders`: `{ data: [...], pagination: {...} }`. */
export interface GmesListResponse {
  data?: GmesWorkOrderWire[];
  pagination?: GmesPagination;
}

/** Every error: `{ error: { code, message, details } }`. Only code, details.field and details.reason are read. */
export interface GmesErrorBody {
  error?: {
    code?: string;
    message?: string;
    details?: { field?: string; reason?: string } & Record<string, unknown>;
  };
}

/** `POST /work-orders`. */
export interface GmesCreateBody {
  orderNumber: string;
  product?: string;
  quantity: number;
  priority?: string;
  customer?: string;
  dueDate?: string;
  notes?: string;
}

/** `PUT /work-orders/{id}`: the fields it may change (null clears an optional one). */
export interface GmesUpdateBody {
  orderNumber?: string;
  product?: string;
  quantity?: number;
  priority?: string;
  customer?: string | null;
  dueDate?: string | null;
  notes?: string | null;
  status?: GmesStatus;
}

/** `POST /work-orders/{id}/complete`. */
export interface GmesCompleteBody {
  completedQuantity?: number;
  notes?: string;
}

/** Query parameters of `GET /work-orders`. */
export type GmesListParams = {
  page: number;
  limit: number;
  sort: string;
  status?: GmesStatus;
};
