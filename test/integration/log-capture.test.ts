// What the gateway writes to its log while vendors misbehave (issue 11): never a vendor's response body, never a
// request body, never a token, key or secret. Every fault below puts one marker string where a careless log line
// would pick it up (the broken body, the error body, the mutation's input, the idempotency key); the log is
// captured at trace level with no redaction, so the test does not lean on the logger's second line of defence, and
// the change poller runs through each fault so failures do reach the log (the test checks they did).
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Faults, SimResponse } from '../../src/simulators/harness.js';
import { clearFaults } from '../../src/simulators/harness.js';
import { startSimulatorsFor, type SimulatedVendors } from '../../src/simulators/index.js';
import type { DotZeroSimulator, GenericMesSimulator, PitneyBowesSimulator } from '../../src/simulators/types.js';
import { createGateway, type Gateway } from '../../src/yoga.js';
import { testConfig } from '../helpers/gateway.js';

/** Spaces keep it from ever reading as an error code (which the gateway keeps on purpose). */
const MARKER = 'zq leak 7f3a9';

let sims: SimulatedVendors;
let gateway: Gateway;
let dotzero: DotZeroSimulator;
let gmes: GenericMesSimulator;
let pb: PitneyBowesSimulator;
const lines: string[] = [];
const log = () => lines.join('');

type VendorName = 'DOTZERO' | 'GENERIC_MES' | 'PITNEY_BOWES';
const LIST_ROUTE: Record<VendorName, string> = {
  DOTZERO: 'GET /v1/workOrders',
  GENERIC_MES: 'GET /api/v2/work-orders',
  PITNEY_BOWES: 'POST /shippingservices/fulfillment/v1/work-orders/search',
};
const sim = (vendor: VendorName) => (vendor === 'DOTZERO' ? dotzero : vendor === 'GENERIC_MES' ? gmes : pb);

async function ask(query: string, variables?: Record<string, unknown>, headers: Record<string, string> = {}) {
  const res = await gateway.fetch('http://gateway.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, ...(variables ? { variables } : {}) }),
  });
  return (await res.json()) as { data?: any; errors?: { message: string; extensions?: Record<string, any> }[] };
}

const LIST = (vendor: VendorName) =>
  `{ workOrders(first: 5, filter: { vendors: [${vendor}] }) { edges { node { id notes } } } }`;

/** A JSON error body that puts the marker in every place a vendor's error text goes, and in no code. */
const ERROR_BODY = JSON.stringify({
  error: { code: 'BAD', message: `refused: ${MARKER}`, details: { reason: 'X', note: MARKER } },
  errors: [{ errorCode: 'E1', errorDescription: MARKER }],
  message: MARKER,
});

const json = (status: number, raw: string): SimResponse => ({
  status,
  raw,
  headers: { 'content-type': 'application/json' },
});

/** Broken answers, each holding the marker. */
const BROKEN: [string, SimResponse][] = [
  ['truncated JSON', json(200, `{"data":[{"id":"${MARKER}","uuid":"${MARKER}","notes":"${MARKER}`)],
  ['an HTML page with 200', json(200, `<!DOCTYPE html><html><body><h1>${MARKER}</h1></body></html>`)],
  ['a body over the size limit', json(200, `{"data":"${MARKER}${'x'.repeat(1_200_000)}"}`)],
  ['JSON nested 10,000 deep', json(200, '['.repeat(10_000) + JSON.stringify(MARKER) + ']'.repeat(10_000))],
  ['a 400 with a body', json(400, ERROR_BODY)],
  ['a 404 with a body', json(404, ERROR_BODY)],
  ['a 422 with a plain-text body', { status: 422, raw: MARKER, headers: { 'content-type': 'text/plain' } }],
  ['a 500 with a body', json(500, ERROR_BODY)],
  ['a 503 with a body', json(503, ERROR_BODY)],
];

beforeAll(async () => {
  sims = await startSimulatorsFor({});
  dotzero = sims.simulators.DOTZERO as DotZeroSimulator;
  gmes = sims.simulators.GENERIC_MES as GenericMesSimulator;
  pb = sims.simulators.PITNEY_BOWES as PitneyBowesSimulator;
  const logger = pino({ level: 'trace' }, { write: (line: string) => void lines.push(line) });
  const config = testConfig({
    upstreamTimeoutMs: 1_500,
    upstream: { defaults: { maxResponseBytes: 1_000_000, retries: 1, retryBackoffMs: 1, retryBackoffMaxMs: 5 } },
  });
  gateway = createGateway({ config, vendors: sims.settings, simulated: sims.simulated, logger });
  // The poller's first round is its baseline; later rounds log what changed, and log their failures.
  await gateway.poller.pollOnce();
});

afterAll(async () => {
  await gateway?.close();
  await sims?.close();
});

describe('the log never holds a vendor body, a request body, a token, a key or a secret', () => {
  it('a mutation with the marker in its input and idempotency key, carried out, answered ambiguously and refused with an echo', async () => {
    const { data } = await ask(
      `{ workOrders(first: 1, filter: { vendors: [DOTZERO], statuses: [OPEN] }) { edges { node { id } } } }`,
    );
    const id = data.workOrders.edges[0].node.id as string;
    const UPDATE = `mutation($id: ID!, $notes: String!) { updateWorkOrder(id: $id, input: { notes: $notes }) { notes } }`;
    const done = await ask(UPDATE, { id, notes: `first ${MARKER}` }, { 'idempotency-key': `key ${MARKER} 1` });
    expect(done.data.updateWorkOrder.notes).toBe(`first ${MARKER}`);
    // The answer lost after the vendor acted: UNKNOWN, then its repeat verifies.
    Object.assign(dotzero.faults, { hangAfterHandler: true, only: ['PATCH /v1/workOrders/:uuid'] });
    const lost = await ask(UPDATE, { id, notes: `second ${MARKER}` }, { 'idempotency-key': `key ${MARKER} 2` });
    expect(lost.errors?.[0]?.extensions).toMatchObject({ vendor: 'DOTZERO', outcome: 'UNKNOWN' });
    clearFaults(dotzero.faults);
    const repeat = await ask(UPDATE, { id, notes: `second ${MARKER}` }, { 'idempotency-key': `key ${MARKER} 2` });
    expect(repeat.data.updateWorkOrder.notes).toBe(`second ${MARKER}`);
    // A create refused with an error body that echoes the input.
    gmes.faults.next = [json(500, JSON.stringify({ error: { code: 'X', message: `bad order ${MARKER}` } }))];
    const refused = await ask(
      `mutation($input: CreateWorkOrderInput!) { createWorkOrder(input: $input) { id } }`,
      {
        input: {
          vendor: 'GENERIC_MES',
          orderNumber: `WO ${MARKER}`,
          quantity: 3,
          product: 'Widget A',
          customer: MARKER,
          notes: MARKER,
        },
      },
      { 'idempotency-key': `key ${MARKER} 3` },
    );
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_ERROR', vendor: 'GENERIC_MES' });
    clearFaults(gmes.faults);
    // The DotZero order's memo now holds the marker: every poll reads it in the vendor's list body.
    await gateway.poller.pollOnce();
    expect(log()).not.toContain(MARKER);
  });

  describe.each<VendorName>(['DOTZERO', 'GENERIC_MES', 'PITNEY_BOWES'])('%s', (vendor) => {
    it.each(BROKEN)('%s fails that vendor with its name, and the log stays clean', async (_name, answer) => {
      const faults: Faults = sim(vendor).faults;
      // Enough copies for the query (and its retry) and a poll round (and its retry).
      Object.assign(faults, { next: [answer, answer, answer, answer], only: [LIST_ROUTE[vendor]] });
      const res = await ask(LIST(vendor));
      await gateway.poller.pollOnce();
      clearFaults(faults);
      expect(res.errors?.[0]?.extensions).toMatchObject({ vendor });
      expect(JSON.stringify(res)).not.toContain(MARKER);
      expect(log()).not.toContain(MARKER);
    });
  });

  it('an undocumented status and values of the wrong type in a body that holds the marker', async () => {
    for (const body of ['unknownStatus', 'wrongTypes'] as const) {
      Object.assign(dotzero.faults, { body, only: [LIST_ROUTE.DOTZERO] });
      await ask(LIST('DOTZERO'));
      await gateway.poller.pollOnce();
      clearFaults(dotzero.faults);
    }
    expect(log()).not.toContain(MARKER);
  });

  it('token expiry and revocation mid-run: no credential in any line', async () => {
    dotzero.expireAccessTokens();
    pb.revokeTokens();
    await ask(LIST('DOTZERO'));
    await ask(LIST('PITNEY_BOWES'));
    await gateway.poller.pollOnce();
    const s = sims.settings;
    for (const secret of [
      s.DOTZERO.token,
      s.DOTZERO.refreshToken,
      s.GENERIC_MES.apiKey,
      s.PITNEY_BOWES.apiKey,
      s.PITNEY_BOWES.apiSecret,
    ]) {
      expect(secret.length).toBeGreaterThan(8);
      expect(log()).not.toContain(secret);
    }
  });

  it('the faults above did reach the log (so its cleanness says something)', () => {
    const failures = lines.filter((l) => l.includes('change polling failed'));
    // Each broken answer met a poll of DotZero and Pitney Bowes.
    expect(failures.length).toBeGreaterThanOrEqual(2 * BROKEN.length - 4);
    expect(failures.some((l) => l.includes('DOTZERO'))).toBe(true);
    expect(failures.some((l) => l.includes('PITNEY_BOWES'))).toBe(true);
    expect(log()).not.toContain(MARKER);
  });
});
