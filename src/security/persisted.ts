// Persisted operations. The partner catalog (operations/*.graphql) is compiled by `npm run codegen` into a manifest
// of `sha256:<hex>` -> document, loaded once at start-up. A request names a document by `documentId` (body, or the
// query string of a GET) or Apollo-style by `extensions.persistedQuery.sha256Hash`. Partners may send nothing
// else; frontend clients may also send free-form operations and use automatic persisted queries (APQ), whose
// registrations live in a separate in-memory store that partners never read.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createInMemoryAPQStore, useAPQ, type APQStore } from '@graphql-yoga/plugin-apq';
import { usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import type { GraphQLParams, Plugin } from 'graphql-yoga';
import { ConfigError } from '../config.js';
import type { GatewayContext } from '../context.js';
import { callerOf } from './auth.js';
import { refusal } from './refusal.js';

export type Manifest = ReadonlyMap<string, string>;

/** Reads and checks the manifest: every key must be the sha256 of its document, so a stale file fails at start. */
export function loadManifest(file: string): Manifest {
  const setting = 'PERSISTED_DOCUMENTS_FILE';
  if (!existsSync(file))
    throw new ConfigError(setting, `names a file that does not exist: ${file} (run npm run codegen)`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    throw new ConfigError(setting, `names a file that is not valid JSON: ${file}`);
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw))
    throw new ConfigError(setting, 'must hold a JSON object of hash -> document');
  const manifest = new Map<string, string>();
  for (const [key, document] of Object.entries(raw)) {
    const hex = /^sha256:([0-9a-f]{64})$/.exec(key)?.[1];
    if (!hex || typeof document !== 'string')
      throw new ConfigError(setting, `has an entry that is not "sha256:<hex>": "<document>"`);
    if (sha256(document) !== hex)
      throw new ConfigError(
        setting,
        `has a document whose hash is not its key (${key.slice(0, 20)}…): run npm run codegen`,
      );
    manifest.set(hex, document);
  }
  return manifest;
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** The persisted-document id a request names, as bare hex when it is a sha256 (or as given, to be refused). */
export function persistedIdOf(params: GraphQLParams & { documentId?: unknown }, request: Request): string | null {
  let id: unknown = params.documentId;
  if (id == null && request.method === 'GET') id = new URL(request.url).searchParams.get('documentId');
  if (id == null) {
    const pq = params.extensions?.persistedQuery as { version?: unknown; sha256Hash?: unknown } | undefined;
    if (pq && pq.version === 1) id = pq.sha256Hash;
  }
  if (typeof id !== 'string' || id === '') return null;
  return bareId(id);
}

/** A document id as the manifest keys it: bare hex, without the `sha256:` prefix clients may send. */
export function bareId(id: string): string {
  return id.startsWith('sha256:') ? id.slice('sha256:'.length) : id;
}

export interface PersistedStore {
  manifest: Manifest;
  /** APQ registrations; undefined when APQ is off. */
  apq: APQStore | undefined;
  /** The document for an id, as this request's caller may see it: partners see the manifest only. */
  lookup(id: string, request: Request): string | undefined | Promise<string | undefined>;
}

export function createPersistedStore(manifest: Manifest, apqEnabled: boolean, shared?: APQStore): PersistedStore {
  // Bounded: a registration is at most one request body, and the oldest fall out first.
  const apq = apqEnabled ? (shared ?? createInMemoryAPQStore({ max: 1000, ttl: 24 * 3600_000 })) : undefined;
  return {
    manifest,
    apq,
    lookup(id, request) {
      const known = manifest.get(id);
      if (known !== undefined || !apq || callerOf(request)?.principal.role === 'partner') return known;
      const registered = apq.get(id);
      return registered instanceof Promise ? registered.then((q) => q ?? undefined) : (registered ?? undefined);
    },
  };
}

/**
 * An unknown id. Partners cannot register operations, so they are told what they can do: call an operation of the
 * published catalog. Other callers keep the message Apollo's APQ clients look for, and are told to register the
 * query where APQ is on.
 */
const notFound = (partner: boolean, apq: boolean) =>
  partner
    ? refusal('PERSISTED_QUERY_NOT_FOUND', 'No operation of the partner catalog has this id.', 404, {
        extensions: {
          reason:
            'Send a documentId (or sha256Hash) from the published partner catalog (src/generated/persisted-documents.json, built from operations/); partners cannot add operations.',
        },
      })
    : refusal('PERSISTED_QUERY_NOT_FOUND', 'PersistedQueryNotFound', 404, {
        extensions: {
          reason: apq
            ? 'No persisted document has this id: send the query text with this hash to register it (APQ), or a documentId from the catalog.'
            : 'No persisted document has this id: send a documentId from the catalog, or the query text.',
        },
      });
const notInList = () =>
  refusal('PERSISTED_QUERY_NOT_IN_LIST', 'This client may send only persisted operations of the partner catalog.', 403);

export function persistedPlugins(store: PersistedStore): Plugin<GatewayContext>[] {
  const isPartner = (request: Request) => callerOf(request)?.principal.role === 'partner';
  const apq = store.apq ? useAPQ({ store: store.apq }) : undefined;
  return [
    {
      onParams({ params }) {
        if (params.query != null && (params as { documentId?: unknown }).documentId != null) {
          throw refusal('BAD_REQUEST', 'Send either a query or a documentId, not both.', 400);
        }
      },
    },
    // APQ registration only (query text + hash); lookups by hash go through the persisted-operations plugin below,
    // which knows both the manifest and the APQ store.
    {
      onParams(payload) {
        if (!apq?.onParams || payload.params.query == null || isPartner(payload.request)) return;
        return apq.onParams(payload);
      },
    },
    usePersistedOperations<GatewayContext>({
      getPersistedOperation: async (id, request) => (await store.lookup(id, request)) ?? null,
      allowArbitraryOperations: (request) => !isPartner(request),
      extractPersistedOperationId: (params, request) => persistedIdOf(params, request),
      customErrors: {
        notFound: ({ request }) => notFound(isPartner(request), store.apq !== undefined),
        persistedQueryOnly: () => notInList(),
        // Neither a query nor an id: for a partner that is still "not a persisted operation".
        keyNotFound: ({ request }) =>
          isPartner(request)
            ? notInList()
            : refusal('BAD_REQUEST', 'Send a query, or the id of a persisted document (documentId).', 400),
      },
    }),
  ];
}
