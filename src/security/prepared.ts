// The lean path for known documents (GATEWAY_LEAN_PERSISTED, on by default). Partners send only the persisted
// operations of the catalog, so their plans are prepared once, at start-up: each document parsed, validated against
// every schema the gateway serves with the same rules and limits as any request (token count, depth, aliases,
// directives, introspection, cost of literal page sizes), its root-field count kept for the rate limit, whether it
// can reach the per-request checks at all (`_entities`, page sizes from variables), and, with GATEWAY_JIT, its
// compiled plan. A request for such a document then skips the re-parse, the re-validation and those checks; what
// depends on the request (auth, scopes, vendor scope, the rate limit, variables and their coercion, the cost of page
// sizes given as variables) runs as on the general path. A document that fails any static check is not prepared:
// it takes the general path, which refuses it with the very same errors.
import { Kind, parse, specifiedRules, validate, type DocumentNode, type GraphQLSchema } from 'graphql';
import { createLRUCache, type Plugin } from 'graphql-yoga';
import type { GatewayConfig } from '../config.js';
import type { GatewayContext } from '../context.js';
import type { JitPlans } from '../execution/jit.js';
import { fieldsAskedIn } from './fields.js';
import { costDependsOnVariables, limitsOf, staticLimitRules } from './limits.js';
import type { Manifest } from './persisted.js';
import { countRootFields } from './rate-limit.js';

export interface PreparedDocument {
  text: string;
  document: DocumentNode;
  /** Schemas against which every static check passed at start-up. */
  clean: ReadonlySet<GraphQLSchema>;
  /** No `_entities` field and no page size that depends on variables: nothing to check per request. */
  static: boolean;
  /** Asks for `_entities` (routers): its representations are counted per request. */
  entities: boolean;
  /** Root fields (the rate limit's count) of the operation a request names; '' for none. */
  rootFields(operationName: string | null | undefined): number;
}

export interface PreparedCatalog {
  /** By manifest id (bare hex). */
  byId: ReadonlyMap<string, PreparedDocument>;
  /** By document text: the same text sent as a query is the same document. */
  byText: ReadonlyMap<string, PreparedDocument>;
  /** The prepared document when `document` is one, clean for `schema`. */
  cleanFor(document: DocumentNode, schema: GraphQLSchema): PreparedDocument | undefined;
  /** Whether the per-request document checks (entities, variable page sizes) have nothing to look at. */
  skipsStatic(document: DocumentNode): boolean;
}

/**
 * Prepares one document text as start-up does for the catalog: undefined when it fails any static check for every
 * schema (the general path then refuses it with its own errors).
 */
export type Prepare = (text: string) => PreparedDocument | undefined;

export function documentPreparer(config: GatewayConfig, schemas: readonly GraphQLSchema[]): Prepare {
  const { maxTokens } = limitsOf(config);
  const rules = [...specifiedRules, ...staticLimitRules(config)];
  return (text) => {
    let document: DocumentNode;
    try {
      // graphql-js counts tokens as armor's max-tokens does (every token but the end); over the limit it throws.
      document = parse(text, { maxTokens });
    } catch {
      return undefined; // the general path refuses it (TOKEN_LIMIT_EXCEEDED or a syntax error), with its own message
    }
    const clean = new Set(schemas.filter((schema) => validate(schema, document, rules).length === 0));
    if (clean.size === 0) return undefined;
    const counts = new Map<string, number>();
    const entities = fieldsAskedIn(document).has('_entities');
    const prepared: PreparedDocument = {
      text,
      document,
      clean,
      static: !entities && !costDependsOnVariables(document),
      entities,
      rootFields(operationName) {
        const key = operationName ?? '';
        let n = counts.get(key);
        if (n === undefined) {
          n = countRootFields(document, operationName);
          // Names come from clients: a document's counts stay bounded.
          if (counts.size < 32) counts.set(key, n);
        }
        return n;
      },
    };
    for (const d of document.definitions)
      if (d.kind === Kind.OPERATION_DEFINITION) prepared.rootFields(d.name?.value ?? null);
    return prepared;
  };
}

export function prepareCatalog(manifest: Manifest, prepare: Prepare, jit?: JitPlans): PreparedCatalog {
  const byId = new Map<string, PreparedDocument>();
  const byText = new Map<string, PreparedDocument>();
  const byDocument = new WeakMap<DocumentNode, PreparedDocument>();
  for (const [id, text] of manifest) {
    const prepared = prepare(text);
    if (!prepared) continue;
    const { document, clean } = prepared;
    // Plans for the first schema the document is clean for (the API's, for clients), each operation once (a
    // request naming none gets the same plan); the subgraph's, for routers, compile at their first request. Each
    // plan is memory held from start-up (README, "Known documents, compiled plans, workers").
    const [schema] = clean;
    if (jit && schema) {
      for (const d of document.definitions)
        if (d.kind === Kind.OPERATION_DEFINITION && d.operation !== 'subscription')
          jit.get(schema, document, d.name?.value ?? null);
    }
    byId.set(id, prepared);
    byText.set(text, prepared);
    byDocument.set(document, prepared);
  }
  return {
    byId,
    byText,
    cleanFor(document, schema) {
      const prepared = byDocument.get(document);
      return prepared?.clean.has(schema) ? prepared : undefined;
    },
    skipsStatic: (document) => byDocument.get(document)?.static === true,
  };
}

/** Longest text the fast lane prepares and keeps; a longer one takes the general path. */
const MAX_PREPARED_TEXT = 16_384;

/**
 * Documents the fast lane has seen, prepared once each: the catalog's, then any other text a caller sends, kept in
 * a bounded LRU (and a text that failed, so a bad document is not prepared again and again).
 */
export function preparedTexts(
  prepare: Prepare,
  catalog: PreparedCatalog | undefined,
  max = 1000,
): (text: string) => PreparedDocument | undefined {
  const seen = createLRUCache<PreparedDocument | false>({ max, ttl: 3600_000 });
  return (text) => {
    const known = catalog?.byText.get(text);
    if (known) return known;
    if (text.length > MAX_PREPARED_TEXT) return undefined;
    let prepared = seen.get(text);
    if (prepared === undefined) {
      prepared = prepare(text) ?? false;
      seen.set(text, prepared);
    }
    return prepared || undefined;
  };
}

/**
 * A known text is handed its prepared document instead of being parsed, and a prepared document is not validated
 * again for a schema it passed at start-up.
 */
export function leanPlugins(catalog: PreparedCatalog): Plugin<GatewayContext>[] {
  return [
    {
      onParse({ params, setParsedDocument }) {
        const source = params.source;
        const prepared = catalog.byText.get(typeof source === 'string' ? source : source.body);
        if (prepared) setParsedDocument(prepared.document);
      },
      onValidate({ params, setResult }) {
        if (catalog.cleanFor(params.documentAST, params.schema)) setResult([]);
      },
    },
  ];
}
