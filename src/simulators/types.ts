// What each simulator hands to main.ts and to tests. Simulators are an independent reading of the vendor
// documents: nothing here is shared with src/vendors/.
import type { Faults } from './harness.js';

export interface SimulatorBase {
  /** Requests served, by `METHOD /pattern`, summed over every server the simulator runs. */
  counts(): Record<string, number>;
  count(key: string): number;
  total(): number;
  resetCounts(): void;
  /** Fault knobs of the vendor's API server (also settable over `PUT /__sim/faults` on its origin, loopback only). */
  faults: Faults;
  /** Requests the faults acted on, by fault (e.g. `hang`, `status:503`). */
  faultCounts(): Record<string, number>;
  /** Watches every write (non-GET request) the vendor carried out, answered or not (see SimServer.onHandled). */
  observeWrites(fn: ((key: string, rawBody: string, status: number, path: string) => void) | undefined): void;
  /** Reseed the data, clear counters and faults. */
  reset(): void;
  close(): Promise<void>;
}

export interface DotZeroSimulator extends SimulatorBase {
  /** `work_order_api_url`, e.g. http://127.0.0.1:PORT */
  workOrderApiUrl: string;
  /** `user_api_url` (a separate server), e.g. http://127.0.0.1:PORT2 */
  userApiUrl: string;
  tenantId: string;
  /** Issues a fresh access token (a JWT with `exp`), valid `ttlSeconds` (default 3600), and the refresh token. */
  issueCredentials(ttlSeconds?: number): { token: string; refreshToken: string; tenantId: string; expiresAt: string };
  /** Makes every access token issued so far answer 401 (revoked). Admin route: POST /__sim/actions/revoke-tokens. */
  revokeAccessTokens(): void;
  /** Makes every access token issued so far answer 401 as expired. Admin route: POST /__sim/actions/expire-tokens. */
  expireAccessTokens(): void;
  /** Fault knobs of the user API (the token refresh server). */
  userApiFaults: Faults;
  /** Lifetime of tokens the refresh endpoint issues (default 3600). */
  setRefreshTtl(seconds: number): void;
  /** Refresh calls served (`POST /v2/auth/token`). */
  refreshCalls(): number;
  /** Changes one unfinished order (started, or one more good piece), as the shop floor would; its uuid. */
  changeOrder(): string | undefined;
  /**
   * Deletes one order as a planner would (a finished one first, else one not yet started; never one in progress),
   * with its op history; its uuid, or undefined when none is left to delete.
   */
  deleteOrder(): string | undefined;
}

export interface GenericMesSimulator extends SimulatorBase {
  /** Base URL including `/api/v2`, e.g. http://127.0.0.1:PORT/api/v2 */
  apiUrl: string;
  apiKey: string;
  /** At most this many requests per rolling minute, then 429 with Retry-After; undefined: unlimited. */
  setRateLimit(perMinute: number | undefined): void;
  /** Resolves once no request is being handled (the harness's `settled`). */
  settled(): Promise<void>;
  /** Where signed webhooks go (every change made through the API, and changeOrder's); undefined: none sent. */
  setWebhook(target: { url: string; secret: string } | undefined): void;
  /** Webhook deliveries answered with a 2xx. */
  webhooksDelivered(): number;
  /** Waits for the deliveries in flight. */
  settleWebhooks(): Promise<void>;
  /** Changes one order in progress (one more piece done), as the shop floor would; its id, or undefined. */
  changeOrder(): string | undefined;
}

export interface PitneyBowesSimulator extends SimulatorBase {
  /** e.g. http://127.0.0.1:PORT/shippingservices/fulfillment */
  apiUrl: string;
  /** e.g. http://127.0.0.1:PORT/oauth/token */
  oauthUrl: string;
  apiKey: string;
  apiSecret: string;
  clientId: string;
  /** Token calls served. */
  tokenCalls(): number;
  /** Lifetime of issued tokens in seconds (default 36000). */
  setTokenTtl(seconds: number): void;
  /** Every issued token answers 401 (invalid) from now on. Admin route: POST /__sim/actions/revoke-tokens. */
  revokeTokens(): void;
  /** Every issued token answers 401 (expired) from now on. Admin route: POST /__sim/actions/expire-tokens. */
  expireTokens(): void;
  /** Transaction ids seen, in order (tests check they are fresh and well-formed). */
  transactionIds(): string[];
  /** Changes one unfinished order (one more piece completed; pbUpdateDate now), as fulfillment would; its id. */
  changeOrder(): string | undefined;
  /**
   * A new order arriving from the client system, CREATED and never updated: like the document's example response,
   * it carries createDate and pbCreateDate but no updateDate or pbUpdateDate. Its id.
   */
  receiveOrder(): string;
}
