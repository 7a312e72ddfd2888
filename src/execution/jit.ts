// graphql-jit execution (GATEWAY_JIT=true): each document is compiled once per schema and operation into a
// function, and queries and mutations run through that function instead of graphql-js's interpreter. Subscriptions
// and anything the compiler refuses run through graphql-js as before. See README "Compiled execution" for what was
// measured.
import {
  Kind,
  execute,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { getVariableValues } from 'graphql/execution/values.js';
import { createRequire } from 'node:module';
import type { CompiledQuery } from 'graphql-jit';
import type { Plugin } from 'graphql-yoga';

// Loaded only when GATEWAY_JIT is on (the first JitPlans): a gateway without it carries none of the compiler.
type Jit = typeof import('graphql-jit');
let loaded: Jit | undefined;
const jitModule = (): Jit => (loaded ??= createRequire(import.meta.url)('graphql-jit') as Jit);

type Compiled = { query: CompiledQuery; operation: OperationDefinitionNode } | null;

/** Compiled plans: schema -> document -> operation name (or '') -> plan; null where the compiler refused. */
export class JitPlans {
  private readonly bySchema = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, Map<string, Compiled>>>();
  /** Plans compiled and refused, and executions through a plan (what the tests and an operator can check). */
  readonly stats = { compiled: 0, refused: 0, runs: 0 };
  private readonly jit = jitModule();

  get(schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined): Compiled {
    let byDocument = this.bySchema.get(schema);
    if (!byDocument) this.bySchema.set(schema, (byDocument = new WeakMap()));
    let byName = byDocument.get(document);
    if (!byName) byDocument.set(document, (byName = new Map()));
    const key = operationName ?? '';
    let plan = byName.get(key);
    if (plan === undefined) {
      const { compileQuery, isCompiledQuery } = this.jit;
      const compiled = compileQuery(schema, document, operationName ?? undefined, {
        // Stacks of field errors are never shown (errors.ts masks them) and capturing them is the costliest part.
        disablingCapturingStackErrors: true,
      });
      const operation = document.definitions.find(
        (d): d is OperationDefinitionNode =>
          d.kind === Kind.OPERATION_DEFINITION && (operationName == null || d.name?.value === operationName),
      );
      plan = isCompiledQuery(compiled) && operation ? { query: compiled, operation } : null;
      if (plan) this.stats.compiled++;
      else this.stats.refused++;
      // Operation names come from clients: a document's plans are bounded by its named operations, plus ''.
      if (byName.size < 32) byName.set(key, plan);
    }
    return plan;
  }

  /** graphql-js's `execute`, through the compiled plan where there is one. */
  execute = (args: ExecutionArgs): ExecutionResult | Promise<ExecutionResult> => {
    const plan = this.get(args.schema, args.document, args.operationName);
    if (!plan) return execute(args);
    const variables = args.variableValues ?? {};
    // graphql-js's coercion first: its errors name the input path (`input.quantity`, `v[1]`) where graphql-jit's
    // name only the last field, and clients act on that path. The compiled plan then reads the same raw values.
    if (plan.operation.variableDefinitions?.length) {
      const coerced = getVariableValues(args.schema, plan.operation.variableDefinitions, variables, {
        maxErrors: 50,
      });
      if (coerced.errors) return { errors: coerced.errors };
    }
    this.stats.runs++;
    return plan.query.query(args.rootValue, args.contextValue, variables) as ExecutionResult | Promise<ExecutionResult>;
  };
}

/** Runs queries and mutations through graphql-jit; subscriptions keep graphql-js (yoga's subscribe is untouched). */
export function useJit<C extends Record<string, unknown>>(plans = new JitPlans()): Plugin<C> {
  return {
    onExecute({ setExecuteFn }) {
      setExecuteFn(plans.execute);
    },
  };
}
