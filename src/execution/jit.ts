// graphql-jit execution (GATEWAY_JIT, on by default): each document is compiled once per schema and operation into
// a function, and queries and mutations run through that function instead of graphql-js's interpreter. Subscriptions
// and anything the compiler refuses run through graphql-js as before. The answers are graphql-js's, byte for byte
// (test/integration/jit.test.ts): variables are coerced by graphql-js, and each field error is rebuilt as graphql-js
// builds it (below). See README "Known documents, compiled plans, workers" for what was measured.
import {
  Kind,
  execute,
  isAbstractType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  locatedError,
  typeFromAST,
  getNamedType,
  GraphQLError,
  SchemaMetaFieldDef,
  TypeMetaFieldDef,
  TypeNameMetaFieldDef,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type GraphQLNamedType,
  type GraphQLOutputType,
} from 'graphql';
import { getDirectiveValues, getVariableValues } from 'graphql/execution/values.js';
import { Module, createRequire } from 'node:module';
import type { CompiledQuery } from 'graphql-jit';
import type { Plugin } from 'graphql-yoga';

// Loaded with the first JitPlans: a gateway with GATEWAY_JIT=false carries none of the compiler.
type Jit = typeof import('graphql-jit');
let loaded: Jit | undefined;
const jitModule = (): Jit => {
  if (loaded) return loaded;
  const require = createRequire(import.meta.url);
  // graphql-jit requires fast-json-stringify (and with it ajv: about 150 modules, some 5 MB of idle memory) when it
  // loads, for one option, `customJSONSerializer`, which the gateway never sets. A stand-in takes its place in the
  // module cache; should it ever be called, it loads the real module and hands over to it.
  const fromJit = createRequire(require.resolve('graphql-jit'));
  const path = fromJit.resolve('fast-json-stringify');
  if (!require.cache[path]) {
    const standIn = new Module(path);
    standIn.filename = path;
    standIn.loaded = true;
    standIn.exports = (...args: unknown[]): unknown => {
      delete require.cache[path];
      return (fromJit('fast-json-stringify') as (...a: unknown[]) => unknown)(...args);
    };
    require.cache[path] = standIn;
  }
  return (loaded = require('graphql-jit') as Jit);
};

interface Plan {
  query: CompiledQuery;
  operation: OperationDefinitionNode;
  schema: GraphQLSchema;
  fragments: Map<string, FragmentDefinitionNode>;
  /** Whether any selection carries @skip/@include: then which nodes were collected depends on the variables. */
  conditional: boolean;
  /** Field nodes at a path without its list indexes: one set per runtime type that gives a different set. */
  nodesAt: Map<string, readonly (readonly FieldNode[])[]>;
}
type Compiled = Plan | null;

/** A document's plans: by the operation name requests give ('' for none), and by the operation that name runs. */
interface DocumentPlans {
  asked: Map<string, Compiled>;
  byOperation: Map<OperationDefinitionNode, Compiled>;
}

/** Compiled plans: schema -> document -> operation name (or '') -> plan; null where the compiler refused. */
export class JitPlans {
  // Held weakly by document: a plan lives as long as the document that yoga's parse cache (an LRU of 1024 texts),
  // the fast lane's prepared documents (an LRU of 1000) or the persisted catalog keeps, so client documents cannot
  // grow it. (graphql-jit's own memoised caches, which hold documents, serve only a resolve-info enricher: none here.)
  private readonly bySchema = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, DocumentPlans>>();
  /** Plans compiled and refused, and executions through a plan (what the tests and an operator can check). */
  readonly stats = { compiled: 0, refused: 0, runs: 0 };
  private readonly jit = jitModule();

  get(schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined): Compiled {
    let byDocument = this.bySchema.get(schema);
    if (!byDocument) this.bySchema.set(schema, (byDocument = new WeakMap()));
    let plans = byDocument.get(document);
    if (!plans) byDocument.set(document, (plans = { asked: new Map(), byOperation: new Map() }));
    // Found by the name the request gave, so a request that finds its plan walks nothing.
    const asked = operationName ?? '';
    const known = plans.asked.get(asked);
    if (known !== undefined) return known;
    const operations = document.definitions.filter(
      (d): d is OperationDefinitionNode =>
        d.kind === Kind.OPERATION_DEFINITION && (operationName == null || d.name?.value === operationName),
    );
    // None named of several is graphql-js's error to give (the compiler refuses it too).
    const operation = operations.length === 1 ? operations[0] : undefined;
    // By the operation it runs: a request naming the only operation and one naming none share a plan.
    let plan = operation ? plans.byOperation.get(operation) : undefined;
    if (plan === undefined) {
      const { compileQuery, isCompiledQuery } = this.jit;
      const compiled = compileQuery(schema, document, operationName ?? undefined, {
        // Stacks of field errors are never shown (errors.ts masks them) and capturing them is the costliest part.
        disablingCapturingStackErrors: true,
      });
      const fragments = new Map(
        document.definitions
          .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
          .map((d) => [d.name.value, d]),
      );
      plan =
        isCompiledQuery(compiled) &&
        operation &&
        !serialWithMore(operation) &&
        !nullabilityDiffers(schema, fragments, operation)
          ? {
              query: compiled,
              operation,
              schema,
              fragments,
              conditional: hasConditions(document),
              nodesAt: new Map(),
            }
          : null;
      if (plan) this.stats.compiled++;
      else this.stats.refused++;
      if (operation) plans.byOperation.set(operation, plan);
    }
    // Operation names come from clients: the names kept per document are bounded (its operations' plans are kept
    // once each, whatever names reach them).
    if (plans.asked.size < 32) plans.asked.set(asked, plan);
    return plan;
  }

  /** graphql-js's `execute`, through the compiled plan where there is one. */
  execute = (args: ExecutionArgs): ExecutionResult | Promise<ExecutionResult> => {
    const plan = this.get(args.schema, args.document, args.operationName);
    if (!plan) return execute(args);
    const variables = args.variableValues ?? {};
    let coerced: Record<string, unknown> = {};
    // graphql-js's coercion first: its errors name the input path (`input.quantity`, `v[1]`) where graphql-jit's
    // name only the last field, and clients act on that path. The compiled plan then reads the same raw values.
    if (plan.operation.variableDefinitions?.length) {
      const result = getVariableValues(args.schema, plan.operation.variableDefinitions, variables, {
        maxErrors: 50,
      });
      if (result.errors) return { errors: result.errors };
      coerced = result.coerced;
    }
    this.stats.runs++;
    const result = plan.query.query(args.rootValue, args.contextValue, variables) as
      ExecutionResult | Promise<ExecutionResult>;
    return result instanceof Promise
      ? result.then((r) => asGraphqlJs(plan, r, coerced))
      : asGraphqlJs(plan, result, coerced);
  };
}

/**
 * A mutation of more than one root field stays on graphql-js: graphql-js stops at the first that fails (every
 * mutation field is non-null, so its error nulls `data`), where graphql-jit's queue goes on and makes the writes
 * after it. One root field, as clients send, runs compiled.
 */
const serialWithMore = (operation: OperationDefinitionNode): boolean =>
  operation.operation === 'mutation' &&
  (operation.selectionSet.selections.length !== 1 || operation.selectionSet.selections[0]?.kind !== Kind.FIELD);

/**
 * The result as graphql-js gives it: `errors` before `data` (clients compare bytes), and each field error built as
 * graphql-js builds it, `locatedError(what the resolver threw, the field's nodes, path)`. graphql-jit's own errors
 * are look-alikes without `nodes`, which our masking (errors.ts) rebuilds errors from, so they lost their locations;
 * and where graphql-jit has no thrown error (a null for a non-null field), graphql-js has an Error, which masking
 * treats as unexpected.
 */
function asGraphqlJs(plan: Plan, result: ExecutionResult, variables: Record<string, unknown>): ExecutionResult {
  if (!result.errors?.length) return result;
  const errors = result.errors.map((error) => {
    if (error.nodes || !error.path) return error;
    const nodes = fieldNodesOf(plan, error, variables);
    return locatedError(error.originalError ?? thrownFor(error.message), nodes, error.path);
  });
  const { data, extensions } = result;
  return { errors, ...(data !== undefined ? { data } : {}), ...(extensions ? { extensions } : {}) };
}

/**
 * What graphql-js would have caught where graphql-jit kept only a message: a null for a non-null field is a plain
 * Error in graphql-js (completeValue throws one); a value a scalar or enum cannot serialize is the GraphQLError the
 * serializer threw.
 */
const thrownFor = (message: string): Error =>
  message.startsWith('Cannot return null for non-nullable field ') ? new Error(message) : new GraphQLError(message);

/**
 * The field nodes graphql-js gives the error at `error.path`: the nodes merged under the path's last response key,
 * collected (as graphql-js collects them) through fragments whose type conditions match each object's runtime type.
 * The runtime type is not in the error; where an abstract type leaves more than one candidate set, the one whose
 * locations graphql-jit computed for this error (it compiles each concrete type apart) is it.
 */
function fieldNodesOf(
  plan: Plan,
  error: GraphQLError,
  variables: Record<string, unknown>,
): readonly FieldNode[] | undefined {
  const keys = error.path!.filter((k): k is string => typeof k === 'string');
  const cacheKey = keys.join('.');
  let candidates = plan.conditional ? undefined : plan.nodesAt.get(cacheKey);
  if (!candidates) {
    candidates = walk(plan, keys, variables);
    if (!plan.conditional) plan.nodesAt.set(cacheKey, candidates);
  }
  if (candidates.length <= 1) return candidates[0];
  const wanted = JSON.stringify(error.locations ?? []);
  return candidates.find((nodes) => JSON.stringify(locationsOf(nodes)) === wanted) ?? candidates[0];
}

const locationsOf = (nodes: readonly FieldNode[]) =>
  nodes.flatMap((n) => (n.loc ? [{ line: n.loc.startToken.line, column: n.loc.startToken.column }] : []));

const rootTypeOf = (schema: GraphQLSchema, operation: OperationDefinitionNode) =>
  operation.operation === 'mutation'
    ? schema.getMutationType()
    : operation.operation === 'subscription'
      ? schema.getSubscriptionType()
      : schema.getQueryType();

function walk(plan: Plan, keys: readonly string[], variables: Record<string, unknown>): (readonly FieldNode[])[] {
  const { schema, operation } = plan;
  const root = rootTypeOf(schema, operation);
  if (!root) return [];
  // Each state: the selection sets of the field nodes reached so far, and the type of their objects.
  let states: { sets: readonly SelectionSetNode[]; type: GraphQLNamedType }[] = [
    { sets: [operation.selectionSet], type: root },
  ];
  let found: (readonly FieldNode[])[] = [];
  for (const [i, key] of keys.entries()) {
    found = [];
    const next: typeof states = [];
    for (const { sets, type } of states) {
      const runtimeTypes: readonly GraphQLObjectType[] = isAbstractType(type)
        ? schema.getPossibleTypes(type)
        : isObjectType(type)
          ? [type]
          : [];
      for (const runtime of runtimeTypes) {
        const nodes = collect(plan, runtime, sets, key, variables);
        const first = nodes[0];
        if (!first || found.some((f) => sameNodes(f, nodes))) continue;
        found.push(nodes);
        if (i < keys.length - 1) {
          const field = fieldDef(schema, runtime, first.name.value);
          if (field)
            next.push({
              sets: nodes.flatMap((n) => (n.selectionSet ? [n.selectionSet] : [])),
              type: getNamedType(field.type),
            });
        }
      }
    }
    states = next;
  }
  return found;
}

const sameNodes = (a: readonly FieldNode[], b: readonly FieldNode[]) =>
  a.length === b.length && a.every((n, i) => n === b[i]);

function fieldDef(schema: GraphQLSchema, parent: GraphQLObjectType, name: string) {
  if (name === TypeNameMetaFieldDef.name) return TypeNameMetaFieldDef;
  if (parent === schema.getQueryType()) {
    if (name === SchemaMetaFieldDef.name) return SchemaMetaFieldDef;
    if (name === TypeMetaFieldDef.name) return TypeMetaFieldDef;
  }
  return parent.getFields()[name];
}

/** graphql-js's collectFields for one response key: fields, inline fragments and each named fragment once. */
function collect(
  plan: Plan,
  runtime: GraphQLObjectType,
  sets: readonly SelectionSetNode[],
  key: string,
  variables: Record<string, unknown>,
): FieldNode[] {
  return collectAll(plan.schema, plan.fragments, runtime, sets, variables, key).get(key) ?? [];
}

/** graphql-js's collectFields: the field nodes by response key (only `only`'s, if given); no variables: all. */
function collectAll(
  schema: GraphQLSchema,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  runtime: GraphQLObjectType,
  sets: readonly SelectionSetNode[],
  variables: Record<string, unknown> | undefined,
  only?: string,
): Map<string, FieldNode[]> {
  const byKey = new Map<string, FieldNode[]>();
  const visited = new Set<string>();
  const visit = (set: SelectionSetNode) => {
    for (const selection of set.selections) {
      if (variables && !included(selection, variables)) continue;
      if (selection.kind === Kind.FIELD) {
        const key = (selection.alias ?? selection.name).value;
        if (only !== undefined && key !== only) continue;
        const nodes = byKey.get(key);
        if (nodes) nodes.push(selection);
        else byKey.set(key, [selection]);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (matches(schema, selection.typeCondition, runtime)) visit(selection.selectionSet);
      } else {
        const name = selection.name.value;
        if (visited.has(name)) continue;
        visited.add(name);
        const fragment = fragments.get(name);
        if (fragment && matches(schema, fragment.typeCondition, runtime)) visit(fragment.selectionSet);
      }
    }
  };
  sets.forEach(visit);
  return byKey;
}

/** Nullability of a field's type, list levels included: `[!]!` for `[Operation!]!`, `` for `Product`. */
function nullabilityOf(type: GraphQLOutputType): string {
  if (isNonNullType(type)) return `${nullabilityOf(type.ofType)}!`;
  if (isListType(type)) return `[${nullabilityOf(type.ofType)}]`;
  return '';
}

interface Shape {
  nullability: string;
  children: Map<string, Shape>;
}

/**
 * Whether graphql-jit would null the wrong part of the answer for a null in a non-null field. Its null trimming
 * (non-null.js) keeps one nullability tree per response key, merged over an abstract type's members, the last
 * member's nullability winning: where one response key is a non-null field for one member and a nullable one for
 * another (`... on DotZeroWorkOrder { x: operations { id } } ... on GenericMesWorkOrder { x: product { id } }`), a
 * failure under the first nulls only `x` where graphql-js nulls the order. Such documents stay on graphql-js.
 */
function nullabilityDiffers(
  schema: GraphQLSchema,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  operation: OperationDefinitionNode,
): boolean {
  const root = rootTypeOf(schema, operation);
  if (!root) return false;
  let differs = false;
  // Builds the merged tree as graphql-jit does, noting where a key's nullability disagrees between members.
  const shapeOf = (type: GraphQLNamedType, sets: readonly SelectionSetNode[]): Map<string, Shape> => {
    const merged = new Map<string, Shape>();
    const members: readonly GraphQLObjectType[] = isAbstractType(type)
      ? schema.getPossibleTypes(type)
      : isObjectType(type)
        ? [type]
        : [];
    for (const member of members)
      for (const [key, nodes] of collectAll(schema, fragments, member, sets, undefined)) {
        const first = nodes[0];
        const field = first && fieldDef(schema, member, first.name.value);
        if (!field) continue;
        const named = getNamedType(field.type);
        const leaf = isLeafType(named);
        const shape: Shape = {
          nullability: nullabilityOf(field.type),
          children: leaf
            ? new Map()
            : shapeOf(
                named,
                nodes.flatMap((n) => (n.selectionSet ? [n.selectionSet] : [])),
              ),
        };
        mergeShape(merged, key, shape);
      }
    return merged;
  };
  const mergeShape = (into: Map<string, Shape>, key: string, shape: Shape) => {
    const before = into.get(key);
    if (!before) into.set(key, shape);
    else {
      if (before.nullability !== shape.nullability) differs = true;
      for (const [childKey, child] of shape.children) mergeShape(before.children, childKey, child);
    }
  };
  shapeOf(root, [operation.selectionSet]);
  return differs;
}

function matches(
  schema: GraphQLSchema,
  condition: FragmentDefinitionNode['typeCondition'] | undefined,
  runtime: GraphQLObjectType,
): boolean {
  if (!condition) return true;
  const type = typeFromAST(schema, condition);
  if (type === runtime) return true;
  return !!type && isAbstractType(type) && schema.isSubType(type, runtime);
}

function included(node: Parameters<typeof getDirectiveValues>[1], variables: Record<string, unknown>): boolean {
  if (!node.directives?.length) return true;
  if (getDirectiveValues(GraphQLSkipDirective, node, variables)?.if === true) return false;
  return getDirectiveValues(GraphQLIncludeDirective, node, variables)?.if !== false;
}

function hasConditions(document: DocumentNode): boolean {
  return /@(skip|include)\b/.test(document.loc?.source.body ?? '@skip');
}

/** Runs queries and mutations through graphql-jit; subscriptions keep graphql-js (yoga's subscribe is untouched). */
export function useJit<C extends Record<string, unknown>>(plans = new JitPlans()): Plugin<C> {
  return {
    onExecute({ setExecuteFn }) {
      setExecuteFn(plans.execute);
    },
  };
}
