// The lean path for catalog documents (src/security/prepared.ts): prepared at start-up, then served without being
// parsed or validated again, with the same answers, limits and refusals as the general path. The persisted-operation
// tests of security-roles, security-hostile and first-hour also run both ways (vitest.config.ts, project
// `general-path`); here, what only the two side by side can show.
import type { Plugin } from 'graphql-yoga';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayClient } from '../../src/config.js';
import type { GatewayContext } from '../../src/context.js';
import {
  SideBySideDocument,
  VendorsDocument,
  WorkOrderByIdDocument,
  WorkOrderStatusesDocument,
} from '../../src/generated/graphql.js';
import { codes, startTestGateway, type GqlResponse, type TestGateway } from '../helpers/gateway.js';

const PARTNER: GatewayClient = {
  name: 'lean-partner',
  apiKey: 'lean-partner-key-0123456789abcdef',
  role: 'partner',
  scopes: ['workorders:read'],
  rateLimitPerMinute: 100_000,
};
const key = { 'x-api-key': PARTNER.apiKey };
const hashOf = (doc: unknown) => (doc as { __meta__: { hash: string } }).__meta__.hash;

/** Counts the parses and validations that actually run (not those answered from a cache or a prepared plan). */
function pipelineCounter() {
  const counted = { parses: 0, validations: 0 };
  const plugin: Plugin<GatewayContext> = {
    onParse({ parseFn, setParseFn }) {
      setParseFn((...args: Parameters<typeof parseFn>) => {
        counted.parses++;
        return parseFn(...args);
      });
    },
    onValidate({ validateFn, setValidationFn }) {
      setValidationFn((...args: Parameters<typeof validateFn>) => {
        counted.validations++;
        return validateFn(...args);
      });
    },
  };
  return { counted, plugin };
}

describe.each([
  ['lean path', true],
  ['general path', false],
])('%s', (_name, lean) => {
  let gw: TestGateway;
  let shallow: TestGateway;
  const counter = pipelineCounter();

  beforeAll(async () => {
    [gw, shallow] = await Promise.all([
      startTestGateway({ clients: [PARTNER], config: { leanPersisted: lean }, plugins: [counter.plugin] }),
      // A limit that some catalog documents exceed: they must be refused exactly as on the general path.
      startTestGateway({ clients: [PARTNER], config: { leanPersisted: lean, limits: { maxDepth: 3 } } }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([gw?.close(), shallow?.close()]);
  });

  it(lean ? 'prepares every catalog document at start-up' : 'prepares nothing', () => {
    if (lean) {
      for (const doc of [VendorsDocument, SideBySideDocument, WorkOrderByIdDocument, WorkOrderStatusesDocument])
        expect(gw.gateway.prepared?.byId.has(hashOf(doc).replace('sha256:', ''))).toBe(true);
    } else expect(gw.gateway.prepared).toBeUndefined();
  });

  it(
    lean
      ? 'serves a catalog document without parsing or validating it, from its first request on'
      : 'parses and validates a catalog document on its first request',
    async () => {
      const before = { ...counter.counted };
      const res = await gw.post({ documentId: hashOf(VendorsDocument) }, key);
      expect(res.status).toBe(200);
      const body = (await res.json()) as { data?: { vendors: unknown[] } };
      expect(body.data?.vendors).toHaveLength(3);
      expect(counter.counted.parses - before.parses).toBe(lean ? 0 : 1);
      expect(counter.counted.validations - before.validations).toBe(lean ? 0 : 1);
    },
  );

  it('a free-form document still goes through parsing and validation', async () => {
    const before = { ...counter.counted };
    const res = await gw.query('{ vendors { vendor simulated } }', undefined, {
      'x-api-key': 'unknown-key-0123456789',
    });
    expect(res.status).toBe(401);
    // Refused before parsing: nothing counted.
    expect(counter.counted.parses - before.parses).toBe(0);
  });

  it('a catalog document over a configured limit is refused with the general code, and calls no vendor', async () => {
    shallow.resetCounts();
    if (lean) expect(shallow.gateway.prepared?.byId.has(hashOf(WorkOrderByIdDocument).slice(7))).toBe(false);
    const res = await shallow.post({ documentId: hashOf(WorkOrderStatusesDocument), variables: { first: 2 } }, key);
    const body = (await res.json()) as GqlResponse['body'];
    expect(codes({ status: res.status, headers: res.headers, body })).toEqual(['DEPTH_LIMIT_EXCEEDED']);
    expect(shallow.calls().total).toBe(0);
    // A shallow one is still served.
    const ok = await shallow.post({ documentId: hashOf(VendorsDocument) }, key);
    expect(ok.status).toBe(200);
  });

  it('page sizes given as variables are still costed per request', async () => {
    gw.resetCounts();
    const res = await gw.post(
      { documentId: hashOf(WorkOrderStatusesDocument), variables: { first: 100_000 } },
      { ...key, accept: 'application/graphql-response+json' },
    );
    const body = (await res.json()) as { errors?: { extensions?: { code?: string } }[] };
    expect(body.errors?.map((e) => e.extensions?.code)).toContain('COST_LIMIT_EXCEEDED');
    expect(gw.calls().total).toBe(0);
  });
});

describe('the same answers both ways', () => {
  let lean: TestGateway;
  let general: TestGateway;
  beforeAll(async () => {
    [lean, general] = await Promise.all([
      startTestGateway({ clients: [PARTNER] }),
      startTestGateway({ clients: [PARTNER], config: { leanPersisted: false } }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([lean?.close(), general?.close()]);
  });

  it.each([
    ['Vendors', VendorsDocument, {}],
    ['SideBySide', SideBySideDocument, {}],
    ['WorkOrderStatuses', WorkOrderStatusesDocument, { first: 5, filter: { vendors: ['DOTZERO', 'PITNEY_BOWES'] } }],
    ['WorkOrderStatuses, a bad variable', WorkOrderStatusesDocument, { first: 'five' }],
    ['WorkOrderById, a malformed id', WorkOrderByIdDocument, { id: 'not-an-id' }],
  ])('%s: same status, body and vendor calls', async (_name, doc, variables) => {
    lean.resetCounts();
    general.resetCounts();
    const a = await lean.post({ documentId: hashOf(doc), variables }, key);
    const b = await general.post({ documentId: hashOf(doc), variables }, key);
    expect(a.status).toBe(b.status);
    // Request ids differ; so do the Pitney Bowes simulator's dates, set from each simulator's start-up time.
    const strip = (text: string) => text.replace(/"(requestId|dueDate)":"[^"]*"/g, '');
    expect(strip(await a.text())).toBe(strip(await b.text()));
    expect(lean.counts()).toEqual(general.counts());
  });
});
