// Pitney Bowes Fulfillment "Find Work Orders" as its document describes it, plus the OAuth token call the
// wire assumptions describe. The API only finds work orders: there is no route that changes one, so the only
// state that changes here is the set of issued tokens and used transaction ids.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { SimHttpError, type Route, type SimRequest, type SimResponse } from '../harness.js';
import { seedWorkOrders, type PbWorkOrder } from './data.js';

export const API_BASE = '/shippingservices/fulfillment';
export const OAUTH_PATH = '/oauth/token';

/** Counter keys, exactly as the harness counts them. */
export const ROUTE_KEYS = {
  token: `POST ${OAUTH_PATH}`,
  search: `POST ${API_BASE}/v1/work-orders/search`,
  statusSearch: `POST ${API_BASE}/v1/work-orders/status/search`,
} as const;

export const DEFAULT_TOKEN_TTL_SECONDS = 36_000;
export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export interface PbConfig {
  apiKey: string;
  apiSecret: string;
  clientId: string;
}

export interface PbState {
  seed: number;
  /** Seed dates are relative to this instant (the simulator's start), so reset() rebuilds identical data. */
  anchor: number;
  orders: PbWorkOrder[];
  /** access token -> expiry (epoch ms) */
  tokens: Map<string, number>;
  tokenTtlSeconds: number;
  usedTransactionIds: Set<string>;
  /** Every X-PB-TransactionId header a search route received, valid or not, in arrival order. */
  seenTransactionIds: string[];
}

export function createState(seed: number, anchor: number, config: PbConfig): PbState {
  return {
    seed,
    anchor,
    orders: seedWorkOrders({ seed, clientId: config.clientId, now: anchor }),
    tokens: new Map(),
    tokenTtlSeconds: DEFAULT_TOKEN_TTL_SECONDS,
    usedTransactionIds: new Set(),
    seenTransactionIds: [],
  };
}

/** Back to the seeded data. Issued tokens stay valid: a reset models fresh data, not a credential rotation. */
export function resetState(state: PbState, config: PbConfig): void {
  state.orders = seedWorkOrders({ seed: state.seed, clientId: config.clientId, now: state.anchor });
  state.tokenTtlSeconds = DEFAULT_TOKEN_TTL_SECONDS;
  state.usedTransactionIds.clear();
  state.seenTransactionIds.length = 0;
}

// ---- errors ------------------------------------------------------------------------------------------------

export const ERR = {
  invalidToken: 'PB-APIM-ERR-1001',
  expiredToken: 'PB-APIM-ERR-1002',
  invalidCredentials: 'PB-APIM-ERR-1003',
  unsupportedGrant: 'PB-APIM-ERR-1004',
  notFound: 'PB-APIM-ERR-1005',
  transactionId: 'PB-FUL-ERR-80001',
  duplicateTransactionId: 'PB-FUL-ERR-80002',
  invalidJson: 'PB-FUL-ERR-80003',
  missingClientId: 'PB-FUL-ERR-80004',
  invalidSort: 'PB-FUL-ERR-80005',
  invalidSearchField: 'PB-FUL-ERR-80006',
  invalidPaging: 'PB-FUL-ERR-80007',
  clientNotAuthorized: 'PB-FUL-ERR-80008',
} as const;

function pbError(status: number, errorCode: string, errorDescription: string, additionalInfo?: string): SimResponse {
  const error: Record<string, string> = { errorCode, errorDescription };
  if (additionalInfo !== undefined) error.additionalInfo = additionalInfo;
  return { status, body: { errors: [error] } };
}

function fail(status: number, errorCode: string, errorDescription: string, additionalInfo?: string): never {
  throw new SimHttpError(pbError(status, errorCode, errorDescription, additionalInfo));
}

export function notFound(req: SimRequest): SimResponse {
  // The method and path are the caller's own; nothing secret can be in them.
  return pbError(404, ERR.notFound, 'Resource not found', `${req.method} ${req.path}`);
}

function header(req: SimRequest, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

// ---- OAuth -------------------------------------------------------------------------------------------------

function tokenHandler(state: PbState, config: PbConfig) {
  return (req: SimRequest): SimResponse => {
    const refuse = (): SimResponse => ({
      ...pbError(401, ERR.invalidCredentials, 'Invalid client credentials'),
      headers: { 'www-authenticate': 'Basic realm="Pitney Bowes"' },
    });
    const match = /^Basic\s+(\S+)$/i.exec(header(req, 'authorization') ?? '');
    if (!match) return refuse();
    const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return refuse();
    const ok =
      sameSecret(decoded.slice(0, colon), config.apiKey) && sameSecret(decoded.slice(colon + 1), config.apiSecret);
    if (!ok) return refuse();

    const grant = new URLSearchParams(req.rawBody).get('grant_type');
    if (grant !== 'client_credentials') {
      return pbError(400, ERR.unsupportedGrant, 'Unsupported grant type', 'grant_type must be client_credentials');
    }

    const token = randomBytes(24).toString('base64url');
    const issuedAt = Date.now();
    state.tokens.set(token, issuedAt + state.tokenTtlSeconds * 1000);
    return {
      status: 200,
      headers: { 'cache-control': 'no-store' },
      // expiresIn as a string, as PB's token service answers it (the wire assumptions allow string or number).
      body: {
        access_token: token,
        tokenType: 'BearerToken',
        issuedAt,
        expiresIn: String(state.tokenTtlSeconds),
        clientID: config.clientId,
      },
    };
  };
}

function requireBearer(state: PbState, req: SimRequest): void {
  const challenge = { 'www-authenticate': 'Bearer realm="Pitney Bowes"' };
  const match = /^Bearer\s+(\S+)$/i.exec(header(req, 'authorization') ?? '');
  const expiresAt = match ? state.tokens.get(match[1]!) : undefined;
  if (expiresAt === undefined) {
    throw new SimHttpError({
      ...pbError(401, ERR.invalidToken, 'Invalid or missing access token'),
      headers: challenge,
    });
  }
  if (Date.now() >= expiresAt) {
    throw new SimHttpError({ ...pbError(401, ERR.expiredToken, 'Access token expired'), headers: challenge });
  }
}

// ---- Find Work Orders --------------------------------------------------------------------------------------

const TRANSACTION_ID = /^[A-Za-z0-9_-]{1,25}$/;
const SORT_PROPERTIES = ['createDate', 'updateDate', 'pbCreateDate', 'pbUpdateDate'] as const;
type SortProperty = (typeof SORT_PROPERTIES)[number];
const DATE_FIELDS = [
  'createDate',
  'updateDate',
  'cancelDate',
  'completionDate',
  'pbCreateDate',
  'pbUpdateDate',
  'pbCancelDate',
] as const;
type DateField = (typeof DATE_FIELDS)[number];
/** The document gives no default order; its examples all send createDate-desc, so that is the default. */
const DEFAULT_SORT = ['createDate-desc'];

/** The status request's subset, in the order of the document's example. */
const STATUS_FIELDS = [
  'clientId',
  'clientWorkOrderId',
  'workOrderId',
  'workOrderName',
  'description',
  'type',
  'status',
  'node',
  'workOrderQuantity',
  'startDate',
  'completionDate',
  'startQuantity',
  'completedQuantity',
  'sku',
] as const satisfies readonly (keyof PbWorkOrder)[];

function checkTransactionId(state: PbState, req: SimRequest): void {
  const id = header(req, 'x-pb-transactionid');
  if (id !== undefined) state.seenTransactionIds.push(id);
  if (id === undefined || id === '') fail(400, ERR.transactionId, 'Missing required header: X-PB-TransactionId');
  if (!TRANSACTION_ID.test(id!)) {
    fail(400, ERR.transactionId, 'Invalid X-PB-TransactionId', 'Up to 25 letters, numbers, hyphens and underscores');
  }
  // Checked and recorded in one synchronous step, so two concurrent requests with one id cannot both pass.
  if (state.usedTransactionIds.has(id!))
    fail(400, ERR.duplicateTransactionId, 'Duplicate X-PB-TransactionId', 'The transaction id must be unique');
  state.usedTransactionIds.add(id!);
}

/** `from`/`to` as epoch ms; a bare date covers the whole day (from its first to its last instant). */
function parseBound(value: unknown, end: 'from' | 'to', field: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  const bad = () =>
    fail(
      400,
      ERR.invalidSearchField,
      `Invalid date in searchFields "${field}".${end}`,
      'Use ISO 8601, e.g. 2024-01-31T00:00:00Z',
    );
  if (typeof value !== 'string') return bad();
  const m = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?)(Z|[+-]\d{2}:?\d{2})?)?$/.exec(value);
  if (!m) return bad();
  const [, date, time, zone] = m;
  let iso: string;
  if (time === undefined) iso = `${date}T${end === 'from' ? '00:00:00.000' : '23:59:59.999'}Z`;
  else
    iso = `${date}T${time}${zone === undefined ? 'Z' : zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone}`;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? bad() : ms;
}

function stringValues(field: Record<string, unknown>, name: string): Set<string> {
  const values = field.values;
  if (!Array.isArray(values) || values.length === 0 || !values.every((v) => typeof v === 'string')) {
    fail(
      400,
      ERR.invalidSearchField,
      `searchFields "${name}" requires values`,
      'values must be a non-empty array of strings',
    );
  }
  return new Set(values as string[]);
}

type Predicate = (order: PbWorkOrder) => boolean;

function parseSearchFields(raw: unknown): { predicates: Predicate[]; hasDateFilter: boolean } {
  const predicates: Predicate[] = [];
  let hasDateFilter = false;
  if (raw === undefined || raw === null) return { predicates, hasDateFilter };
  if (!Array.isArray(raw)) return fail(400, ERR.invalidSearchField, 'searchFields must be an array');
  for (const field of raw) {
    if (typeof field !== 'object' || field === null || Array.isArray(field))
      fail(400, ERR.invalidSearchField, 'Each searchFields entry must be an object');
    const entry = field as Record<string, unknown>;
    const name = entry.name;
    if (typeof name !== 'string' || name === '') fail(400, ERR.invalidSearchField, 'searchFields.name is required');
    if (name === 'status') {
      const statuses = stringValues(entry, name);
      predicates.push((o) => statuses.has(o.status));
    } else if (name === 'workOrderIds') {
      const ids = stringValues(entry, name);
      predicates.push((o) => ids.has(o.workOrderId));
    } else if ((DATE_FIELDS as readonly string[]).includes(name as string)) {
      const key = name as DateField;
      const from = parseBound(entry.from, 'from', key);
      const to = parseBound(entry.to, 'to', key);
      // Either end may be open, but a date field with neither says nothing and is most likely a mistake.
      if (from === undefined && to === undefined)
        fail(400, ERR.invalidSearchField, `searchFields "${key}" requires from or to`);
      hasDateFilter = true;
      predicates.push((o) => {
        const value = o[key];
        if (value === undefined) return false;
        const ms = Date.parse(value);
        return (from === undefined || ms >= from) && (to === undefined || ms <= to);
      });
    }
    // Any other name is ignored: the document's own example sends "Brands".
  }
  return { predicates, hasDateFilter };
}

function parseSort(raw: unknown): { sort: string[]; compare: (a: PbWorkOrder, b: PbWorkOrder) => number } {
  if (raw !== undefined && raw !== null && !Array.isArray(raw))
    fail(400, ERR.invalidSort, 'sort must be an array of strings');
  const sort = Array.isArray(raw) && raw.length > 0 ? (raw as unknown[]) : DEFAULT_SORT;
  const keys = sort.map((s) => {
    const m = typeof s === 'string' ? /^([A-Za-z]+)-(asc|desc)$/.exec(s) : null;
    if (!m || !(SORT_PROPERTIES as readonly string[]).includes(m[1]!)) {
      return fail(
        400,
        ERR.invalidSort,
        `Invalid sort: ${JSON.stringify(s)}`,
        `Use <property>-<asc|desc> with one of ${SORT_PROPERTIES.join(', ')}`,
      );
    }
    return { property: m[1] as SortProperty, direction: m[2] === 'asc' ? 1 : -1 };
  });
  const compare = (a: PbWorkOrder, b: PbWorkOrder) => {
    for (const { property, direction } of keys) {
      // Same fixed-width UTC format throughout the seed, so string order is time order. An order never updated has
      // no update dates (the document's example): it sorts as the earliest.
      const [x, y] = [a[property] ?? '', b[property] ?? ''];
      const c = x < y ? -1 : x > y ? 1 : 0;
      if (c !== 0) return c * direction;
    }
    // Ties broken by workOrderId so that pages never overlap or skip.
    return a.workOrderId < b.workOrderId ? -1 : a.workOrderId > b.workOrderId ? 1 : 0;
  };
  return { sort: sort as string[], compare };
}

function parsePaging(req: SimRequest): { page: number; size: number } {
  const read = (name: 'page' | 'size', fallback: number) => {
    const raw = req.query.get(name);
    if (raw === null) return fallback;
    if (!/^\d+$/.test(raw) || Number(raw) < 1) {
      return fail(400, ERR.invalidPaging, `Invalid query parameter: ${name}`, `${name} must be a whole number from 1`);
    }
    return Number(raw);
  };
  // The document names no maximum; larger sizes are capped rather than refused.
  return { page: read('page', 1), size: Math.min(read('size', DEFAULT_PAGE_SIZE), MAX_PAGE_SIZE) };
}

function sixMonthsAgo(now: number): number {
  const d = new Date(now);
  d.setUTCMonth(d.getUTCMonth() - 6);
  return d.getTime();
}

function statusView(order: PbWorkOrder): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of STATUS_FIELDS) if (order[key] !== undefined) out[key] = order[key];
  return out;
}

function searchHandler(state: PbState, config: PbConfig, shape: 'full' | 'status') {
  // Synchronous from start to finish: no other request can interleave between the id check and the answer.
  return (req: SimRequest): SimResponse => {
    requireBearer(state, req);
    checkTransactionId(state, req);

    let body: unknown;
    try {
      body = req.json();
    } catch {
      fail(400, ERR.invalidJson, 'Invalid JSON structure', 'The request body is not valid JSON');
    }
    if (body === undefined)
      fail(400, ERR.missingClientId, 'Missing required field: clientId', 'The request body is empty');
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      fail(400, ERR.invalidJson, 'Invalid JSON structure', 'The request body must be an object');
    const request = body as Record<string, unknown>;
    const clientId = request.clientId;
    if (typeof clientId !== 'string' || clientId.trim() === '')
      fail(400, ERR.missingClientId, 'Missing required field: clientId');
    const { sort, compare } = parseSort(request.sort);
    const { predicates, hasDateFilter } = parseSearchFields(request.searchFields);
    const { page, size } = parsePaging(req);
    // The credentials belong to one PB client; asking for another client's orders is refused, not answered empty.
    if (clientId !== config.clientId)
      fail(403, ERR.clientNotAuthorized, 'The clientId is not authorized for these credentials');

    // The document's quirk: without a date filter only orders created in the last six months are returned.
    if (!hasDateFilter) {
      const cutoff = sixMonthsAgo(Date.now());
      predicates.push((o) => Date.parse(o.createDate) >= cutoff);
    }
    const matches = state.orders.filter((o) => predicates.every((p) => p(o))).sort(compare);
    const totalElements = matches.length;
    const totalPages = Math.ceil(totalElements / size);
    const slice = matches.slice((page - 1) * size, page * size);
    const list = shape === 'full' ? slice.map((o) => structuredClone(o)) : slice.map(statusView);
    return {
      status: 200,
      body: {
        totalPages,
        totalElements,
        first: page === 1,
        last: page >= totalPages,
        size,
        page,
        sort,
        [shape === 'full' ? 'workOrders' : 'workOrderStatusList']: list,
      },
    };
  };
}

export function buildRoutes(state: PbState, config: PbConfig): Route[] {
  return [
    { method: 'POST', pattern: OAUTH_PATH, handler: tokenHandler(state, config) },
    { method: 'POST', pattern: `${API_BASE}/v1/work-orders/search`, handler: searchHandler(state, config, 'full') },
    {
      method: 'POST',
      pattern: `${API_BASE}/v1/work-orders/status/search`,
      handler: searchHandler(state, config, 'status'),
    },
  ];
}
