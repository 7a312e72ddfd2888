// Operation limits, all applied before execution so a refused operation never reaches a vendor: graphql-armor's
// depth, alias, token and cost limits and our own directive count and introspection depth (each refusal with its
// own code), introspection off by configuration, field suggestions hidden where callers authenticate, and CSRF
// prevention. graphql-js's own rules refuse fragment cycles; yoga refuses mutations over GET,
// over-long batches (its options are set in yoga.ts from the same limits); body-limit.ts refuses over-large bodies.
import { blockFieldSuggestionsPlugin } from '@escape.tech/graphql-armor-block-field-suggestions';
import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import {
  GraphQLError,
  buildSchema,
  getIntrospectionQuery,
  getNamedType,
  parse,
  type ASTNode,
  isIntrospectionType,
  Kind,
  validate,
  visit,
  type ArgumentNode,
  type DocumentNode,
  type FieldNode,
  type GraphQLSchema,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { DEFAULT_LIMITS, type GatewayConfig, type OperationLimits } from '../config.js';
import type { GatewayContext } from '../context.js';
import { DEFAULT_PAGE_SIZE } from '../loaders/concat.js';
import { isOpen } from './auth.js';
import { refusal, type RefusalCode } from './refusal.js';

export function limitsOf(config: GatewayConfig): OperationLimits {
  return { ...DEFAULT_LIMITS, ...config.limits };
}

/** yoga's `batching` option: off at 0, else capped. */
export function batchingOf(config: GatewayConfig): false | { limit: number } {
  const { maxBatch } = limitsOf(config);
  return maxBatch > 0 ? { limit: maxBatch } : false;
}

/** Headers a browser cannot put on a "simple" cross-site request; any of them proves a CORS preflight happened. */
const PREFLIGHT_HEADERS = ['x-graphql-yoga-csrf', 'apollo-require-preflight', 'x-api-key', 'authorization'];

const ARMOR_PREFIX = /^Syntax Error: /;

/** armor's onReject, turned into a validation error with our code (or thrown, where there is no validation yet). */
function rejectWith(code: RefusalCode, generic: string, expose: boolean) {
  return (context: ValidationContext | null, error: GraphQLError) => {
    const message = expose ? error.message.replace(ARMOR_PREFIX, '') : generic;
    const coded = refusal(code, message, 400);
    if (context) context.reportError(coded);
    else throw coded;
  };
}

/** graphql-js's NoSchemaIntrospectionCustomRule, with a code of its own. */
const NoIntrospectionRule: ValidationRule = (context) => ({
  Field(node) {
    const type = getNamedType(context.getType());
    if (type && isIntrospectionType(type)) {
      context.reportError(
        refusal('INTROSPECTION_DISABLED', `Introspection is disabled on this gateway ("${node.name.value}").`, 400, {
          nodes: [node],
        }),
      );
    }
  },
});

/** Each fragment's count of something, spread by spread (memoised; a cycle counts once and is refused by validation). */
function perSpread(
  context: ValidationContext,
  own: (node: ASTNode) => number,
  combine: (self: number, children: number[]) => number,
): (node: ASTNode) => number {
  const memo = new Map<string, number>();
  const walk = (node: ASTNode, seen: ReadonlySet<string>): number => {
    if (node.kind === Kind.FRAGMENT_SPREAD) {
      const name = node.name.value;
      let inner = memo.get(name);
      if (inner === undefined) {
        const fragment = context.getFragment(name);
        inner = fragment && !seen.has(name) ? walk(fragment, new Set([...seen, name])) : 0;
        memo.set(name, inner);
      }
      return own(node) + inner;
    }
    const children =
      'selectionSet' in node && node.selectionSet ? node.selectionSet.selections.map((c) => walk(c, seen)) : [];
    return combine(own(node), children);
  };
  return (node) => walk(node, new Set());
}

/**
 * Every directive counts, wherever it stands: on the operation, its variables, fields, inline fragments, fragment
 * spreads and in each spread fragment (once per spread, since it is evaluated once per spread).
 */
function maxDirectivesRule(max: number, expose: boolean): ValidationRule {
  return (context) => {
    const count = perSpread(
      context,
      (node) =>
        ('directives' in node && Array.isArray(node.directives) ? node.directives.length : 0) +
        (node.kind === Kind.OPERATION_DEFINITION
          ? (node.variableDefinitions ?? []).reduce((n, v) => n + (v.directives?.length ?? 0), 0)
          : 0),
      (self, children) => children.reduce((a, b) => a + b, self),
    );
    return {
      OperationDefinition(node) {
        const found = count(node);
        if (found > max) {
          context.reportError(
            refusal(
              'DIRECTIVE_LIMIT_EXCEEDED',
              expose
                ? `Directives limit of ${max} exceeded, found ${found}.`
                : 'The operation has too many directives.',
              400,
              { nodes: [node] },
            ),
          );
        }
      },
    };
  };
}

/** How deep graphql-js's own introspection query (the one GraphiQL sends) reaches: __schema's limit, at least. */
export const STANDARD_INTROSPECTION_DEPTH = (() => {
  let depth = 0;
  const document = parse(
    getIntrospectionQuery({
      descriptions: true,
      specifiedByUrl: true,
      directiveIsRepeatable: true,
      schemaDescription: true,
      inputValueDeprecation: true,
      oneOf: true,
    }),
  );
  validate(buildSchema('type Query { a: Int }'), document, [
    (context) => ({
      Field(node) {
        if (node.name.value === '__schema') depth = Math.max(depth, introspectionDepthOf(context, node));
      },
    }),
  ]);
  return depth;
})();

function introspectionDepthOf(context: ValidationContext, node: FieldNode): number {
  const depthOf = perSpread(
    context,
    (n) => (n.kind === Kind.FIELD ? 1 : 0),
    (self, children) => self + Math.max(0, ...children),
  );
  return depthOf(node);
}

/**
 * `__schema` escapes armor's depth limit (GraphiQL's introspection query is 15 deep); it is held to the standard
 * introspection query's depth instead, or to the gateway's depth limit where that is higher. graphql-js's
 * MaxIntrospectionDepthRule alone lets `ofType` nest without end.
 */
function introspectionDepthRule(max: number, expose: boolean): ValidationRule {
  return (context) => ({
    Field(node) {
      if (node.name.value !== '__schema') return;
      const found = introspectionDepthOf(context, node);
      if (found > max) {
        context.reportError(
          refusal(
            'DEPTH_LIMIT_EXCEEDED',
            expose
              ? `Introspection depth limit of ${max} exceeded, found ${found}.`
              : 'The operation is nested too deeply.',
            400,
            { nodes: [node] },
          ),
        );
      }
    },
  });
}

const PAGE_SIZE_ARGS = new Set(['first', 'last']);

/** Names of the variables that give page sizes in the document (armor's cost rule sees only literals). */
function pageSizeVariables(document: DocumentNode): string[] {
  const names = new Set<string>();
  visit(document, {
    Argument(node) {
      if (PAGE_SIZE_ARGS.has(node.name.value) && node.value.kind === Kind.VARIABLE) names.add(node.value.name.value);
    },
  });
  return [...names];
}

/** The variables' values, or their defaults in the document. */
function pageSizes(
  document: DocumentNode,
  names: readonly string[],
  variables: Record<string, unknown>,
): Map<string, number> {
  const sizes = new Map<string, number>();
  for (const def of document.definitions) {
    if (def.kind !== Kind.OPERATION_DEFINITION) continue;
    for (const v of def.variableDefinitions ?? []) {
      const name = v.variable.name.value;
      if (names.includes(name) && v.defaultValue?.kind === Kind.INT) sizes.set(name, Number(v.defaultValue.value));
    }
  }
  for (const name of names) {
    const value = variables[name];
    if (typeof value === 'number' && Number.isInteger(value)) sizes.set(name, value);
  }
  return sizes;
}

/** The schema's paged list fields, whose `first` defaults to DEFAULT_PAGE_SIZE when left out. */
const PAGED_FIELDS = new Set(['workOrders', 'products']);

/** Whether a paged field is asked without `first` (armor would count it once, not DEFAULT_PAGE_SIZE times). */
function hasDefaultPageSizes(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    Field(node) {
      if (PAGED_FIELDS.has(node.name.value) && !node.arguments?.some((a) => PAGE_SIZE_ARGS.has(a.name.value)))
        found = true;
    },
  });
  return found;
}

/** The document with each variable page size written in as a literal, and the default where `first` is left out. */
function inlinePageSizes(document: DocumentNode, sizes: ReadonlyMap<string, number>): DocumentNode {
  return visit(document, {
    Argument(node): ArgumentNode | undefined {
      if (!PAGE_SIZE_ARGS.has(node.name.value) || node.value.kind !== Kind.VARIABLE) return undefined;
      const size = sizes.get(node.value.name.value);
      return size === undefined ? undefined : { ...node, value: { kind: Kind.INT, value: String(size) } };
    },
    Field(node): FieldNode | undefined {
      if (!PAGED_FIELDS.has(node.name.value) || node.arguments?.some((a) => PAGE_SIZE_ARGS.has(a.name.value)))
        return undefined;
      const first: ArgumentNode = {
        kind: Kind.ARGUMENT,
        name: { kind: Kind.NAME, value: 'first' },
        value: { kind: Kind.INT, value: String(DEFAULT_PAGE_SIZE) },
      };
      return { ...node, arguments: [...(node.arguments ?? []), first] };
    },
  });
}

/**
 * A request a browser could send cross-site without a preflight (a form post, a plain GET) must carry one of
 * PREFLIGHT_HEADERS; our clients' X-API-Key or Authorization already is one.
 */
export function csrfPrevention(): Plugin<GatewayContext> {
  const csrf = useCSRFPrevention({ requestHeaders: PREFLIGHT_HEADERS });
  return {
    onRequestParse(payload) {
      try {
        return csrf.onRequestParse?.(payload as never);
      } catch {
        throw refusal(
          'CSRF_PREVENTED',
          `This request needs one of these headers: ${PREFLIGHT_HEADERS.join(', ')}.`,
          403,
        );
      }
    },
  };
}

/**
 * Suggestions help someone exploring an open gateway; where callers authenticate (clients file or JWT) or
 * introspection is off, they would hand the schema to whoever guesses. NODE_ENV does not matter.
 */
export function hidesSuggestions(config: GatewayConfig): boolean {
  return !isOpen(config) || !config.introspection;
}

/**
 * The limits that depend on the document alone (and the schema), as validation rules, in the order they report:
 * depth, aliases, directives, introspection depth, cost of literal page sizes, introspection. The general path adds
 * them to every validation (yoga caches the verdict per document); the lean path (prepared.ts) runs them once at
 * start-up over each catalog document.
 */
export function staticLimitRules(config: GatewayConfig): ValidationRule[] {
  const limits = limitsOf(config);
  const expose = !config.production;
  const armor = { exposeLimits: expose, propagateOnRejection: false };
  const rules: ValidationRule[] = [
    maxDepthRule({
      ...armor,
      n: limits.maxDepth,
      // `__schema` is held to its own limit below (GraphiQL's introspection query is deeper than any operation);
      // `__type` counts here like any field.
      ignoreIntrospection: true,
      onReject: [rejectWith('DEPTH_LIMIT_EXCEEDED', 'The operation is nested too deeply.', expose)],
    }),
    maxAliasesRule({
      ...armor,
      n: limits.maxAliases,
      onReject: [rejectWith('ALIAS_LIMIT_EXCEEDED', 'The operation has too many aliases.', expose)],
    }),
    // Our own count, not armor's: armor skips the directives on a fragment spread once it has seen the fragment.
    maxDirectivesRule(limits.maxDirectives, expose),
    introspectionDepthRule(Math.max(limits.maxDepth, STANDARD_INTROSPECTION_DEPTH), expose),
    costLimitRule(costOptionsOf(config)),
  ];
  if (!config.introspection) rules.push(NoIntrospectionRule);
  return rules;
}

function costOptionsOf(config: GatewayConfig) {
  const expose = !config.production;
  return {
    exposeLimits: expose,
    propagateOnRejection: false,
    maxCost: limitsOf(config).maxCost,
    onReject: [rejectWith('COST_LIMIT_EXCEEDED', 'The operation costs more than this gateway allows.', expose)],
  };
}

/** Whether the cost of a document depends on its variables (page sizes given as variables, or left to default). */
export function costDependsOnVariables(document: DocumentNode): boolean {
  return pageSizeVariables(document).length > 0 || hasDefaultPageSizes(document);
}

/**
 * The cost of a document whose page sizes are given as variables or left to their default, with this request's
 * values written in: its refusals, or none. The general path checks it just before execution (below), the fast
 * lane at the same point.
 */
export function variableCostCheck(
  config: GatewayConfig,
): (
  document: DocumentNode,
  schema: GraphQLSchema,
  variables: Record<string, unknown> | null | undefined,
) => readonly GraphQLError[] {
  const costWithVariables = costLimitRule(costOptionsOf(config));
  // Per document (yoga's parse cache hands out the same one for the same text): its page-size variables, and the
  // verdict for each set of their values, since catalog operations come again and again with the same few sizes.
  const byDocument = new WeakMap<
    DocumentNode,
    { names: string[]; defaults: boolean; verdicts: Map<string, readonly GraphQLError[]> }
  >();
  return (document, schema, variables) => {
    let entry = byDocument.get(document);
    if (!entry) {
      entry = { names: pageSizeVariables(document), defaults: hasDefaultPageSizes(document), verdicts: new Map() };
      byDocument.set(document, entry);
    }
    if (entry.names.length === 0 && !entry.defaults) return [];
    const sizes = pageSizes(document, entry.names, variables ?? {});
    const key = entry.names.map((n) => sizes.get(n) ?? '').join(',');
    let errors = entry.verdicts.get(key);
    if (!errors) {
      errors = validate(schema, inlinePageSizes(document, sizes), [costWithVariables]);
      if (entry.verdicts.size < 64) entry.verdicts.set(key, errors);
    }
    return errors;
  };
}

/**
 * The limits as plugins. `skipsStatic(document)`: a document whose static limits were checked at start-up (the lean
 * path) and whose cost does not depend on its variables; the per-request cost check leaves it alone.
 */
export function limitPlugins(
  config: GatewayConfig,
  skipsStatic: (document: DocumentNode) => boolean = () => false,
): Plugin<GatewayContext>[] {
  const limits = limitsOf(config);
  // Limits are no secret, and a client that hits one should learn which; production still says less.
  const expose = !config.production;
  const armor = { exposeLimits: expose, propagateOnRejection: false };
  const rules = staticLimitRules(config);
  const costOf = variableCostCheck(config);

  const plugins: Plugin<GatewayContext>[] = [
    maxTokensPlugin({
      ...armor,
      n: limits.maxTokens,
      onReject: [rejectWith('TOKEN_LIMIT_EXCEEDED', 'The operation has too many tokens.', expose)],
    }),
    {
      onValidate({ addValidationRule }) {
        for (const rule of rules) addValidationRule(rule);
      },
    },
    {
      // Page sizes given as variables, or left to their default: the same cost rule over the document with the
      // request's values written in. Here, not in validation, because validation results are cached per
      // document, whatever the variables.
      onExecute({ args, setResultAndStopExecution }) {
        if (skipsStatic(args.document)) return;
        const errors = costOf(args.document, args.schema, args.variableValues);
        if (errors.length > 0) setResultAndStopExecution({ errors });
      },
    },
  ];
  if (hidesSuggestions(config)) plugins.push(blockFieldSuggestionsPlugin());
  return plugins;
}
