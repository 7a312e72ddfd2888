// The Pitney Bowes Fulfillment client: finds work orders through the full search (POST /v1/work-orders/search),
// which is the one documented call. Made once per process; every search is a read, so VendorHttp may retry it.
import type { PitneyBowesWorkOrder, VendorCapabilities, WorkOrderQuery } from '../../domain/model.js';
import { VendorHttp } from '../http.js';
import { MAX_VENDOR_PAGE, pagedWindow, scanningWindow, type Page, type Segment } from '../paging.js';
import { badResponse, notFound } from '../client-kit.js';
import type { PitneyBowesClient, PolledOrders } from '../types.js';
import { newTransactionId, PitneyBowesAuth } from './auth.js';
import {
  createdSinceSearchField,
  TRANSACTION_HEADER,
  describeError,
  mapSearchPage,
  searchBody,
  searchQuery,
  transactionHeaders,
  updatedSinceSearchField,
  workOrderIdsSearchField,
} from './mapping.js';
import { planSearch } from './plan.js';
import type { PbSearchField, PitneyBowesConfig } from './types.js';

export type { PitneyBowesConfig } from './types.js';

const SEARCH_PATH = '/v1/work-orders/search';

/** The documented API only finds work orders; workOrderIds lets one search answer a whole batch of lookups. */
export const PITNEY_BOWES_CAPABILITIES: VendorCapabilities = Object.freeze({
  read: true,
  create: false,
  update: false,
  delete: false,
  transitions: false,
  batchLookup: true,
});

class PitneyBowesHttpClient implements PitneyBowesClient {
  readonly vendor = 'PITNEY_BOWES' as const;
  readonly capabilities = PITNEY_BOWES_CAPABILITIES;
  private readonly http: VendorHttp;
  private readonly auth: PitneyBowesAuth;
  private readonly clientId: string;

  constructor(config: PitneyBowesConfig) {
    this.clientId = config.clientId;
    const common = config.transport ?? {};
    this.auth = new PitneyBowesAuth({
      oauthUrl: config.oauthUrl,
      apiKey: config.apiKey,
      apiSecret: config.apiSecret,
      transport: common,
    });
    this.http = new VendorHttp({
      vendor: 'PITNEY_BOWES',
      baseUrl: config.apiUrl,
      auth: this.auth,
      describeError,
      // VendorHttp resends the same headers on its 401 retry and read retry; the vendor refuses a reused
      // transaction id, so the id is made per attempt, never per logical call.
      perAttemptHeaders: () => transactionHeaders(newTransactionId()),
      traceHeader: TRANSACTION_HEADER,
      ...common,
    });
  }

  planWorkOrders(query: WorkOrderQuery): Segment<PitneyBowesWorkOrder>[] {
    const plan = planSearch(query);
    if (plan === null) return [];
    const fetchPage = (page: number, size: number) => this.search(plan.searchFields, page, size, 'searchWorkOrders');
    const fetch = plan.keep === null ? pagedWindow(fetchPage) : scanningWindow(fetchPage, plan.keep);
    return [{ key: plan.key, fetch }];
  }

  async getWorkOrders(keys: readonly string[]): Promise<(PitneyBowesWorkOrder | Error)[]> {
    if (keys.length === 0) return [];
    const unique = [...new Set(keys)];
    const chunks: string[][] = [];
    for (let i = 0; i < unique.length; i += MAX_VENDOR_PAGE) chunks.push(unique.slice(i, i + MAX_VENDOR_PAGE));
    const found = new Map<string, PitneyBowesWorkOrder>();
    const failed = new Map<string, Error>();
    // One search per hundred keys, all at once: the upstream call count is what bounds the gateway's speed.
    await Promise.all(
      chunks.map(async (ids) => {
        try {
          const page = await this.search([workOrderIdsSearchField(ids)], 1, MAX_VENDOR_PAGE, 'getWorkOrders');
          for (const order of page.items) found.set(order.vendorId, order);
        } catch (err) {
          const error = err instanceof Error ? err : badResponse('PITNEY_BOWES', 'a lookup that failed');
          for (const id of ids) failed.set(id, error);
        }
      }),
    );
    return keys.map((key) => found.get(key) ?? failed.get(key) ?? notFound('PITNEY_BOWES', 'work order', key));
  }

  allWorkOrders(): Promise<PitneyBowesWorkOrder[]> {
    return this.scan([], 'allWorkOrders', true);
  }

  /**
   * Only what changed: searches by pbUpdateDate and by pbCreateDate ranges (the document's own search fields).
   * Never shared or cached: change detection must see the vendor as it is now.
   *
   * The document has no deletion (no delete call, no webhooks; an order that ends is CANCELED or CLOSED, a status
   * change this read catches), and a read by update date cannot tell a missing order from an unchanged one: never
   * complete, so polling never reports a Pitney Bowes order deleted.
   */
  async changedWorkOrders(since: Date | undefined): Promise<PolledOrders<PitneyBowesWorkOrder>> {
    if (!since) return { orders: await this.scan([], 'allWorkOrders', false), complete: false };
    // Two reads: by update date, and by creation date for the orders never updated, which have no pbUpdateDate
    // (the document's example) and so never match the first. Search fields combine as AND, so one search cannot
    // ask for either.
    const [updated, received] = await Promise.all([
      this.scan([updatedSinceSearchField(since)], 'pollWorkOrders', false),
      this.scan([createdSinceSearchField(since)], 'pollNewWorkOrders', false),
    ]);
    const seen = new Set(updated.map((o) => o.vendorId));
    return { orders: [...updated, ...received.filter((o) => !seen.has(o.vendorId))], complete: false };
  }

  private async scan(fields: PbSearchField[], operation: string, share: boolean): Promise<PitneyBowesWorkOrder[]> {
    const fetchPage = (page: number, size: number) => this.search(fields, page, size, operation, share);
    return (await scanningWindow(fetchPage, () => true)(0, Number.MAX_SAFE_INTEGER)).items;
  }

  async close(): Promise<void> {
    await Promise.all([this.http.close(), this.auth.close()]);
  }

  private async search(
    fields: PbSearchField[],
    page: number,
    size: number,
    operation: string,
    share = true,
  ): Promise<Page<PitneyBowesWorkOrder>> {
    const query = searchQuery(page, size);
    // A 400/422 stays the UpstreamError VendorHttp made (UPSTREAM_ERROR with the vendor's code): the search body,
    // transaction id and clientId are all the gateway's own making, so a refusal is a gateway or configuration
    // fault, never the caller's input.
    const answer = await this.http.request({
      method: 'POST',
      path: SEARCH_PATH,
      query: { ...query },
      body: searchBody(this.clientId, fields),
      operation,
      idempotent: true,
      // A search is a POST that only reads (the one documented call), with the gateway's own token and clientId:
      // its answer is the same for every caller, so it may be shared. The per-attempt X-PB-TransactionId is not
      // part of what is shared (see sharing.ts). The documented API has no writes to make it stale.
      ...(share ? { share: 'orders' as const } : {}),
    });
    return mapSearchPage(answer.body, query);
  }
}

export function createPitneyBowesClient(config: PitneyBowesConfig): PitneyBowesClient {
  return new PitneyBowesHttpClient(config);
}
