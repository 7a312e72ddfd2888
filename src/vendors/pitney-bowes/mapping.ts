// The only file that knows Pitney Bowes' field names: pure functions from its wire shapes to the domain model, and
// from a domain query to its search bodies. Every answer is checked against its shape first (below: the document's
// Response Elements and Work Orders object): a value of the wrong type, a work order without its id, or a status
// the document does not list (nor a known spelling of one) refuses the answer, UPSTREAM_ERROR naming the vendor.
// Within a field the reading stays tolerant where nothing is lost: the document's own examples carry dates like
// "2022-04-07T016:00:00-07:00", so a date string that does not parse is null rather than a failed page.
import { parseIsoInstant } from '../iso-date.js';
import { isRecord, readNumber, readText, safeCode } from '../scalars.js';
import { UpstreamError } from '../../domain/errors.js';
import {
  PRIORITIES,
  type PitneyBowesWorkOrder,
  type PitneyBowesWorkOrderLine,
  type Priority,
} from '../../domain/model.js';
import { MAX_VENDOR_PAGE, type Page } from '../paging.js';
import { PB_STATUS_TO_UNIFIED, pbStatusOf, type PbStatus } from './states.js';
import { checked, type Shape } from '../shape.js';
import {
  PB_DATE_SEARCH_FIELDS,
  type PbErrorWire,
  type PbSearchBody,
  type PbSearchField,
  type PbSearchQuery,
  type PbWorkOrderLineWire,
  type PbWorkOrderWire,
} from './types.js';

// ---------------------------------------------------------------------------------------------------------------
// Documented limits. The gateway's input validation reads these, so a value Pitney Bowes would refuse is refused
// before any call, with the gateway's own field name.

/** Maximum lengths the document gives, by wire field. */
export const PITNEY_BOWES_FIELD_MAX_LENGTH = {
  clientWorkOrderId: 35,
  workOrderName: 30,
  description: 250,
  sku: 30,
  brand: 50,
  'X-PB-TransactionId': 25,
} as const;

/** The same limits by unified field name (the names the gateway's inputs use). */
export const PITNEY_BOWES_DOMAIN_FIELD_MAX_LENGTH = {
  orderNumber: PITNEY_BOWES_FIELD_MAX_LENGTH.clientWorkOrderId,
  workOrderName: PITNEY_BOWES_FIELD_MAX_LENGTH.workOrderName,
  notes: PITNEY_BOWES_FIELD_MAX_LENGTH.description,
  sku: PITNEY_BOWES_FIELD_MAX_LENGTH.sku,
  customer: PITNEY_BOWES_FIELD_MAX_LENGTH.brand,
} as const;

/** The document's rule for X-PB-TransactionId: up to 25 letters, digits, hyphens and underscores. */
export const PITNEY_BOWES_TRANSACTION_ID_PATTERN = /^[A-Za-z0-9_-]{1,25}$/;

/** Header names are lower case because VendorHttp merges headers by exact key. */
/** The request header that carries the transaction id (lower case, as headers are sent). */
export const TRANSACTION_HEADER = 'x-pb-transactionid';

export function transactionHeaders(transactionId: string): Record<string, string> {
  return { [TRANSACTION_HEADER]: transactionId };
}

// ---------------------------------------------------------------------------------------------------------------
// Values

/** Vendor priority → unified priority. Pitney Bowes has two levels, so LOW and CRITICAL never occur. */
export const PB_PRIORITY_TO_UNIFIED: Readonly<Record<'PRIORITY' | 'STANDARD', Priority>> = {
  PRIORITY: 'HIGH',
  STANDARD: 'NORMAL',
};

/** A missing or unknown priority is shown (and therefore filtered) as the vendor's default, STANDARD. */
export const PB_PRIORITY_FALLBACK: Priority = 'NORMAL';

/** The unified priorities a Pitney Bowes order can carry, in the unified order. */
export const PB_UNIFIED_PRIORITIES: readonly Priority[] = PRIORITIES.filter(
  (p) => p === PB_PRIORITY_FALLBACK || Object.values(PB_PRIORITY_TO_UNIFIED).includes(p),
);

export function priorityOf(raw: unknown): Priority {
  if (typeof raw !== 'string') return PB_PRIORITY_FALLBACK;
  const key = raw.trim().toUpperCase();
  return key === 'PRIORITY' || key === 'STANDARD' ? PB_PRIORITY_TO_UNIFIED[key] : PB_PRIORITY_FALLBACK;
}

/** A string, or a number written as one (a `node` of 160); empty and anything else is null. */
export const stringOrNull = (v: unknown): string | null => readText(v);

/** A finite number, or a numeric string in decimal notation ("2000"); anything else is null. */
export const numberOrNull = (v: unknown): number | null => readNumber(v);

export function stringArray(v: unknown): string[] {
  if (typeof v === 'string') return v.length > 0 ? [v] : [];
  if (!Array.isArray(v)) return [];
  const out: string[] = [];
  for (const item of v) {
    const s = stringOrNull(item);
    if (s !== null) out.push(s);
  }
  return out;
}

/** Dates are read strictly (see iso-date.ts); the document's own example has a malformed hour ("T016:00:00"). */
export const dateOrNull = parseIsoInstant;

// ---------------------------------------------------------------------------------------------------------------
// Wire → domain

const refused = (what: string) => new UpstreamError('PITNEY_BOWES', 'bad_response', `PITNEY_BOWES answered ${what}`);

const DATE = 'date' as const;
const NUMBER = 'number' as const;

/** One Work Orders object, typed as the document's table types it; every field optional but the id and status. */
export const WORK_ORDER_SHAPE: Shape = {
  workOrderId: { kind: 'text', required: true },
  status: { kind: 'text', required: true },
  clientId: 'text',
  clientWorkOrderId: 'text',
  workOrderName: 'text',
  description: 'text',
  type: 'text',
  node: 'text',
  sku: 'text',
  brand: 'text',
  priority: 'text',
  cancelReason: 'text',
  createDate: DATE,
  updateDate: DATE,
  pbCreateDate: DATE,
  pbUpdateDate: DATE,
  requestedStartDate: DATE,
  requestedCompletionDate: DATE,
  startDate: DATE,
  completionDate: DATE,
  cancelDate: DATE,
  pbCancelDate: DATE,
  workOrderQuantity: NUMBER,
  startQuantity: NUMBER,
  completedQuantity: NUMBER,
  rejectedQuantity: NUMBER,
  scrappedQuantity: NUMBER,
  lotNumbers: 'texts',
  serialNumbers: 'texts',
  workOrderLines: 'list',
};

/** `workOrderLines` items. */
export const WORK_ORDER_LINE_SHAPE: Shape = {
  childSKU: 'text',
  lotNumbers: 'texts',
  serialNumbers: 'texts',
  issuedQuantity: NUMBER,
};

/** A search answer's Response Elements (the list itself is checked item by item). */
export const SEARCH_PAGE_SHAPE: Shape = {
  totalPages: NUMBER,
  totalElements: NUMBER,
  first: 'flag',
  last: 'flag',
  size: NUMBER,
  page: NUMBER,
  sort: 'texts',
  workOrders: 'list',
  workOrderStatusList: 'list',
};

export function mapWorkOrderLine(input: PbWorkOrderLineWire | unknown): PitneyBowesWorkOrderLine {
  const wire = checked('PITNEY_BOWES', 'a work order line', input, WORK_ORDER_LINE_SHAPE) as PbWorkOrderLineWire;
  return {
    childSku: stringOrNull(wire.childSKU),
    lotNumbers: stringArray(wire.lotNumbers),
    serialNumbers: stringArray(wire.serialNumbers),
    issuedQuantity: numberOrNull(wire.issuedQuantity),
  };
}

/**
 * Maps one Work Orders object (full search; the status/search subset maps too, with the missing fields null).
 * Refuses (UpstreamError) something that is not an object, has no workOrderId (without its key an order can be
 * neither shown as a node nor fetched again), holds a value of the wrong type, or a status the document does not
 * list: the page it came in fails, rather than shows a guess.
 */
export function mapWorkOrder(input: unknown): PitneyBowesWorkOrder {
  const wire = checked('PITNEY_BOWES', 'a work order', input, WORK_ORDER_SHAPE) as PbWorkOrderWire;
  const vendorId = stringOrNull(wire.workOrderId) as string;
  if (typeof wire.status !== 'string') throw refused('a work order whose status is not a text');
  const vendorStatus = wire.status;
  const known = pbStatusOf(vendorStatus);
  if (known === undefined) {
    throw refused(
      `a work order with a status its document does not list${safeCode(vendorStatus) ? ` (${vendorStatus})` : ''}`,
    );
  }
  return {
    vendor: 'PITNEY_BOWES',
    vendorId,
    orderNumber: stringOrNull(wire.clientWorkOrderId) ?? '',
    status: PB_STATUS_TO_UNIFIED[known],
    vendorStatus,
    quantity: numberOrNull(wire.workOrderQuantity) ?? 0,
    completedQuantity: numberOrNull(wire.completedQuantity) ?? 0,
    priority: priorityOf(wire.priority),
    dueDate: dateOrNull(wire.requestedCompletionDate),
    startDate: dateOrNull(wire.startDate),
    completionDate: dateOrNull(wire.completionDate),
    createdAt: dateOrNull(wire.createDate),
    updatedAt: dateOrNull(wire.updateDate),
    customer: stringOrNull(wire.brand),
    notes: stringOrNull(wire.description),
    clientId: stringOrNull(wire.clientId),
    workOrderName: stringOrNull(wire.workOrderName),
    type: stringOrNull(wire.type),
    node: stringOrNull(wire.node),
    sku: stringOrNull(wire.sku),
    requestedStartDate: dateOrNull(wire.requestedStartDate),
    startQuantity: numberOrNull(wire.startQuantity),
    rejectedQuantity: numberOrNull(wire.rejectedQuantity),
    scrappedQuantity: numberOrNull(wire.scrappedQuantity),
    lotNumbers: stringArray(wire.lotNumbers),
    lines: ((wire.workOrderLines ?? []) as unknown[]).map((line) => mapWorkOrderLine(line)),
    cancelDate: dateOrNull(wire.cancelDate),
    cancelReason: stringOrNull(wire.cancelReason),
    pbCreateDate: dateOrNull(wire.pbCreateDate),
    pbUpdateDate: dateOrNull(wire.pbUpdateDate),
    pbCancelDate: dateOrNull(wire.pbCancelDate),
  };
}

/**
 * Maps one search answer to a page. `totalElements` is the total; where it is missing the total is inferred
 * from the page we asked for (enough for paging to end). A body with no work-order list at all is not what the
 * document promises and is reported as such, rather than read as "no orders".
 */
export function mapSearchPage(body: unknown, requested: PbSearchQuery): Page<PitneyBowesWorkOrder> {
  let list: unknown;
  let total: number | null = null;
  let last: unknown;
  if (Array.isArray(body)) {
    list = body;
  } else if (isRecord(body)) {
    checked('PITNEY_BOWES', 'a search page', body, SEARCH_PAGE_SHAPE);
    list = body.workOrders ?? body.workOrderStatusList;
    total = numberOrNull(body.totalElements);
    last = body.last;
    // Many APIs leave an empty array out: an answer that says it holds nothing is an empty page.
    if ((list === undefined || list === null) && total === 0) list = [];
  }
  if (!Array.isArray(list)) {
    throw new UpstreamError('PITNEY_BOWES', 'bad_response', 'PITNEY_BOWES search answered without a workOrders list');
  }
  const items: PitneyBowesWorkOrder[] = [];
  for (const raw of list) items.push(mapWorkOrder(raw));
  const seen = (requested.page - 1) * requested.size + list.length;
  if (total === null || total < 0) total = last === false ? seen + 1 : seen;
  return { items, total: Math.floor(total) };
}

// ---------------------------------------------------------------------------------------------------------------
// Domain → wire: search bodies and query parameters

/**
 * The wide date range every search carries. On pbCreateDate, which Pitney Bowes always sets, not createDate, which
 * the client system sets and may leave out (an order without it would fall outside any createDate range). The
 * bounds are far apart but ordinary dates, which any date parser takes.
 */
const FAR_FUTURE = '2100-01-01T00:00:00Z';
export const PB_WIDE_CREATE_DATE: PbSearchField = {
  name: 'pbCreateDate',
  from: '1970-01-01T00:00:00Z',
  to: FAR_FUTURE,
};

/** The one sort the gateway pages on: the vendor's own creation date, set on every order and stable as orders are added. */
export const PB_SORT = ['pbCreateDate-asc'];

export function statusSearchField(statuses: readonly PbStatus[]): PbSearchField {
  return { name: 'status', values: [...statuses] };
}

/** A date search field from `since` on (seconds precision, the document's format), with no end that matters. */
const sinceField = (name: 'pbUpdateDate' | 'pbCreateDate', since: Date): PbSearchField => ({
  name,
  from: `${since.toISOString().slice(0, 19)}Z`,
  to: FAR_FUTURE,
});

/** Orders the vendor updated on or after `since` (its own update time). */
export function updatedSinceSearchField(since: Date): PbSearchField {
  return sinceField('pbUpdateDate', since);
}

/**
 * Orders the vendor received on or after `since`. An order not yet updated carries no pbUpdateDate (the document's
 * example of a CREATED order has none), so only this field finds it.
 */
export function createdSinceSearchField(since: Date): PbSearchField {
  return sinceField('pbCreateDate', since);
}

export function workOrderIdsSearchField(ids: readonly string[]): PbSearchField {
  return { name: 'workOrderIds', values: [...ids] };
}

/**
 * THE QUIRK: with no date search field Pitney Bowes silently answers only orders created in the last six
 * months. So every search carries a date field; where the caller gave none, a pbCreateDate range wide enough to
 * hold every order.
 */
export function withDateRange(fields: readonly PbSearchField[]): PbSearchField[] {
  const hasDate = fields.some((f) => PB_DATE_SEARCH_FIELDS.includes(f.name));
  return hasDate ? [...fields] : [...fields, { ...PB_WIDE_CREATE_DATE }];
}

export function searchBody(clientId: string, fields: readonly PbSearchField[]): PbSearchBody {
  return { clientId, sort: [...PB_SORT], searchFields: withDateRange(fields) };
}

/** `page` from 1, `size` capped at the largest page the vendor serves. */
export function searchQuery(page: number, size: number): PbSearchQuery {
  return { page: Math.max(1, Math.floor(page)), size: Math.min(MAX_VENDOR_PAGE, Math.max(1, Math.floor(size))) };
}

// ---------------------------------------------------------------------------------------------------------------
// Errors and the OAuth token

/**
 * Reads the error envelope `{errors:[{errorCode, errorDescription, message?}]}` (or a bare array of entries).
 * Only the code is taken: descriptions are free text that may echo what was sent (a clientId, a token), and no
 * error may carry that. The document names no field in its errors, so there is none to report.
 */
export function describeError(_status: number, body: unknown): { code?: string } {
  const entries: unknown[] = Array.isArray(body)
    ? body
    : isRecord(body) && Array.isArray(body.errors)
      ? body.errors
      : isRecord(body)
        ? [body]
        : [];
  for (const entry of entries) {
    if (!isRecord(entry)) continue;
    const code = (entry as PbErrorWire).errorCode;
    const text = safeCode(typeof code === 'number' ? String(code) : code);
    if (text !== undefined) return { code: text };
  }
  return {};
}

/** The token request: HTTP Basic over the API key and secret, form body, per the OAuth client-credentials grant. */
export function tokenRequest(apiKey: string, apiSecret: string): { headers: Record<string, string>; body: string } {
  return {
    headers: {
      authorization: `Basic ${Buffer.from(`${apiKey}:${apiSecret}`, 'utf8').toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: 'grant_type=client_credentials',
  };
}

export interface PbToken {
  accessToken: string;
  /** Lifetime in seconds, when the answer gave one we can read. */
  expiresInSeconds: number | null;
}

/** Reads `{access_token, tokenType, issuedAt, expiresIn, clientID}`; null when there is no token in it. */
export function parseTokenResponse(body: unknown): PbToken | null {
  if (!isRecord(body)) return null;
  const token = body.access_token ?? body.accessToken;
  if (typeof token !== 'string' || token.length === 0) return null;
  const expires = numberOrNull(body.expiresIn ?? body.expires_in);
  return { accessToken: token, expiresInSeconds: expires !== null && expires >= 0 ? expires : null };
}
