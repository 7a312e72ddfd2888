// DotZero's wire shapes, as the skill document and docs/wire-assumptions.md describe them, and the client's own
// configuration. The document names request bodies but not responses, so every response field is optional and
// loosely typed: mapping.ts reads them tolerantly, and these types say what we expect rather than what we trust.
import type { TransportOptions } from '../http.js';

export interface DotZeroWorkOrderWire {
  uuid?: string;
  work_order_id?: string;
  qty?: number | string;
  good?: number | string | null;
  /** 1 Not Started, 2 In Progress, 3 Completed, 4 Incomplete. */
  status?: number | string;
  deadline?: string | null;
  order_due_date?: string | null;
  is_asap?: boolean | number | string;
  work_order_priority_ranking?: number | string | null;
  memo?: string | null;
  route_uuid?: string | null;
  default_warehouse_uuid?: string | null;
  default_warehouse_storage_uuid?: string | null;
  start_time?: string | null;
  end_time?: string | null;
  created_at?: string | null;
  updated_at?: string | null;
}

export interface DotZeroProductWire {
  uuid?: string;
  number?: string;
  name?: string;
  category?: string | null;
  specification?: string | null;
  memo?: string | null;
  remarks?: string | null;
  product_type?: number | string;
  is_active?: boolean | number | string;
  minimum_stock_level?: number | string | null;
  created_at?: string | null;
  updated_at?: string | null;
}

export interface DotZeroRouteWire {
  uuid?: string;
  name?: string;
  product_uuid?: string | null;
  created_at?: string | null;
  updated_at?: string | null;
}

export interface DotZeroRouteOperationWire {
  uuid?: string;
  route_uuid?: string;
  operation_uuid?: string;
  operation_name?: string;
  /** 1-based position of the step in its route. */
  sequence?: number | string;
}

export interface DotZeroOpHistoryWire {
  uuid?: string;
  work_order_uuid?: string;
  work_order_id?: string;
  operation_uuid?: string;
  operation_name?: string;
  sequence?: number | string;
  status?: number | string;
  worker_uuid?: string | null;
  worker_name?: string | null;
  device_uuid?: string | null;
  device_name?: string | null;
  good?: number | string | null;
  defect?: number | string | null;
  start_time?: string | null;
  end_time?: string | null;
}

export interface DotZeroWarehouseWire {
  uuid?: string;
  name?: string;
  code?: string | null;
}

export interface DotZeroStorageLocationWire {
  uuid?: string;
  warehouse_uuid?: string | null;
  name?: string;
  code?: string | null;
}

export interface DotZeroProductStorageWire {
  uuid?: string;
  product_uuid?: string;
  warehouse_uuid?: string | null;
  warehouse_storage_uuid?: string | null;
  qty?: number | string;
}

/** A list answer: `{ data, total }` or a bare array (both occur). */
export type DotZeroListWire<T> = { data: T[]; total?: number | string } | T[];

/** `GET /v1/count/workOrders`: `{ count }` or a bare number. */
export type DotZeroCountWire = { count: number | string } | number;

/** Error bodies: `{ message, code? }`; `error` and a named field are read when present. */
export interface DotZeroErrorWire {
  message?: string;
  code?: string;
  error?: string | { code?: string; message?: string; field?: string };
  field?: string;
}

/** Body of `POST /v1/workOrders` and `PATCH /v1/workOrders/{uuid}` (the fields the gateway writes). */
export interface DotZeroWorkOrderBody {
  work_order_id?: string;
  qty?: number;
  good?: number;
  status?: number;
  deadline?: string | null;
  is_asap?: boolean;
  memo?: string | null;
  route_uuid?: string;
}

/** `POST {user_api_url}/v2/auth/token?tenantID=...` body. */
export interface DotZeroRefreshBody {
  grant_type: 'refresh_token';
  refresh_token: string;
}

/** The skill's `.dotzero/config.json`. */
export interface DotZeroSkillConfigWire {
  user_api_url?: string;
  work_order_api_url?: string;
}

/** The skill's `.dotzero/credentials.json` (other keys are kept when the token is written back). */
export interface DotZeroSkillCredentialsWire {
  token?: string;
  refresh_token?: string;
  tenant_id?: string | number;
  expires_at?: string;
  [other: string]: unknown;
}

/** What `loadDotZeroConfigDir` reads from a skill folder. */
export interface DotZeroConfigDirSettings {
  workOrderApiUrl: string;
  userApiUrl: string;
  tenantId: string;
  token: string;
  refreshToken: string;
  expiresAt?: Date;
}

export interface DotZeroClientConfig {
  /** The skill's `work_order_api_url`, e.g. https://YOUR-COMPANY.dotzero.app */
  workOrderApiUrl: string;
  /** The skill's `user_api_url`, where tokens are refreshed. */
  userApiUrl: string;
  tenantId: string;
  token: string;
  refreshToken: string;
  /** When absent, the token's JWT `exp` claim tells it (else one hour from now). */
  expiresAt?: Date;
  /** A skill folder: refreshed tokens are written back into its credentials.json. */
  configDir?: string;
  /** Timeouts, circuit breaker and call events, as the process sets them for every vendor. */
  transport?: TransportOptions;
}
