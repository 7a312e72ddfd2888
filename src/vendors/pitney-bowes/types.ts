// Pitney Bowes Fulfillment wire shapes, as "Find Work Orders" describes them, and the client's configuration.
// Every wire field is optional and `unknown`-tolerant on purpose: the document's own examples are not valid JSON
// in places (curly quotes, "T016:00"), so mapping.ts checks each value instead of trusting these types.
import type { TransportOptions } from '../http.js';

export interface PitneyBowesConfig {
  /** Base URL up to and including `/shippingservices/fulfillment`. */
  apiUrl: string;
  /** The OAuth token endpoint (Generate an OAuth Token). */
  oauthUrl: string;
  apiKey: string;
  apiSecret: string;
  /** The client ID assigned by Pitney Bowes, sent in every search body. */
  clientId: string;
  /** Timeouts, circuit breaker and call events, as the process sets them for every vendor. */
  transport?: TransportOptions;
}

/** One child item of a kit. */
export interface PbWorkOrderLineWire {
  childSKU?: unknown;
  lotNumbers?: unknown;
  serialNumbers?: unknown;
  issuedQuantity?: unknown;
}

/** The Work Orders object. The full search returns all of it; status/search a subset (we never call that). */
export interface PbWorkOrderWire {
  clientId?: unknown;
  clientWorkOrderId?: unknown;
  workOrderId?: unknown;
  workOrderName?: unknown;
  description?: unknown;
  type?: unknown;
  status?: unknown;
  node?: unknown;
  createDate?: unknown;
  updateDate?: unknown;
  pbCreateDate?: unknown;
  pbUpdateDate?: unknown;
  sku?: unknown;
  brand?: unknown;
  workOrderQuantity?: unknown;
  priority?: unknown;
  requestedStartDate?: unknown;
  requestedCompletionDate?: unknown;
  startDate?: unknown;
  completionDate?: unknown;
  startQuantity?: unknown;
  completedQuantity?: unknown;
  lotNumbers?: unknown;
  serialNumbers?: unknown;
  rejectedQuantity?: unknown;
  scrappedQuantity?: unknown;
  workOrderLines?: unknown;
  cancelDate?: unknown;
  pbCancelDate?: unknown;
  cancelReason?: unknown;
  references?: unknown;
}

/** The search fields the document names; anything else is ignored by the vendor (its own example sends "Brands"). */
export const PB_SEARCH_FIELD_NAMES = [
  'status',
  'workOrderIds',
  'createDate',
  'updateDate',
  'cancelDate',
  'completionDate',
  'pbCreateDate',
  'pbUpdateDate',
  'pbCancelDate',
] as const;
export type PbSearchFieldName = (typeof PB_SEARCH_FIELD_NAMES)[number];

/** The date search fields: sending any of them lifts the vendor's silent "last six months" limit. */
export const PB_DATE_SEARCH_FIELDS: readonly PbSearchFieldName[] = [
  'createDate',
  'updateDate',
  'cancelDate',
  'completionDate',
  'pbCreateDate',
  'pbUpdateDate',
  'pbCancelDate',
];

export type PbSearchField =
  | { name: 'status' | 'workOrderIds'; values: string[] }
  | { name: Exclude<PbSearchFieldName, 'status' | 'workOrderIds'>; from?: string; to?: string };

export interface PbSearchBody {
  clientId: string;
  sort: string[];
  searchFields: PbSearchField[];
}

/** `page`/`size` travel as query parameters (the document lists them under "Query Parameters"). */
export interface PbSearchQuery {
  page: number;
  size: number;
}

export interface PbSearchResponseWire {
  totalPages?: unknown;
  totalElements?: unknown;
  first?: unknown;
  last?: unknown;
  size?: unknown;
  page?: unknown;
  sort?: unknown;
  workOrders?: unknown;
  workOrderStatusList?: unknown;
}

export interface PbTokenResponseWire {
  access_token?: unknown;
  tokenType?: unknown;
  issuedAt?: unknown;
  expiresIn?: unknown;
  clientID?: unknown;
}

export interface PbErrorWire {
  errorCode?: unknown;
  errorDescription?: unknown;
  message?: unknown;
}
