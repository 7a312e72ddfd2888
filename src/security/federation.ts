// Federation routers. A router (role `router` in GATEWAY_CLIENTS_FILE, or a JWT with that role) is a federation
// gateway in front of this subgraph: it is served the subgraph schema (the API schema plus `_service` and
// `_entities`), sends any operation like a frontend (it forwards its own clients' queries, so the partners' persisted
// list does not bind it), and obeys the same vendor scope (the loaders' business) and limits: the document limits
// of every operation, plus a cap on the representations of one request's `_entities` and a cost that counts each
// representation, both checked before anything executes, so a refused request makes no vendor call.
// Partners and frontends are served the API schema (schema.graphql), in which `_entities` does not exist.
import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import {
  Kind,
  validate,
  visit,
  type ArgumentNode,
  type DocumentNode,
  type FieldNode,
  type GraphQLSchema,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { GatewayConfig } from '../config.js';
import type { GatewayContext } from '../context.js';
import { callerOf, isOpen, type Caller } from './auth.js';
import { fieldsAskedIn } from './fields.js';
import { limitsOf } from './limits.js';
import { refusal } from './refusal.js';

/** Whether this request is served the subgraph schema: routers, and the open gateway (local exploration). */
export function servesSubgraph(request: Request, config: GatewayConfig): boolean {
  return servesSubgraphTo(callerOf(request), config);
}

/** The same, for a caller already settled (the fast lane's): undefined is the open gateway's. */
export function servesSubgraphTo(caller: Caller | undefined, config: GatewayConfig): boolean {
  return caller ? caller.principal.role === 'router' : isOpen(config);
}

/** The schema for a request: yoga's `schema` factory, called once the caller is known. */
export function schemaFor(config: GatewayConfig, api: GraphQLSchema, subgraph: () => GraphQLSchema) {
  return ({ request }: { request: Request }): GraphQLSchema => (servesSubgraph(request, config) ? subgraph() : api);
}

/** The `_entities` fields of a document, with how many representations each carries (variables resolved). */
function entityFields(
  document: DocumentNode,
  variables: Record<string, unknown>,
): { node: FieldNode; count: number }[] {
  const found: { node: FieldNode; count: number }[] = [];
  visit(document, {
    Field(node) {
      if (node.name.value !== '_entities') return;
      const arg = node.arguments?.find((a) => a.name.value === 'representations');
      let count = 0;
      if (arg?.value.kind === Kind.LIST) count = arg.value.values.length;
      else if (arg?.value.kind === Kind.VARIABLE) {
        const value = variables[arg.value.name.value];
        count = Array.isArray(value) ? value.length : 1;
      } else if (arg) count = 1;
      found.push({ node, count });
    },
  });
  return found;
}

/** The document with `first: <representations>` on each `_entities`, so armor's cost rule counts every entity. */
function withEntityCounts(document: DocumentNode, counts: ReadonlyMap<FieldNode, number>): DocumentNode {
  return visit(document, {
    Field(node): FieldNode | undefined {
      const count = counts.get(node);
      if (count === undefined) return undefined;
      const first: ArgumentNode = {
        kind: Kind.ARGUMENT,
        name: { kind: Kind.NAME, value: 'first' },
        value: { kind: Kind.INT, value: String(count) },
      };
      return { ...node, arguments: [...(node.arguments ?? []).filter((a) => a.name.value !== 'first'), first] };
    },
  });
}

const hasEntities = (document: DocumentNode) => fieldsAskedIn(document).has('_entities');

/** `skipsStatic(document)`: a catalog document known at start-up to ask for no `_entities` (the lean path). */
export function federationPlugins(
  config: GatewayConfig,
  skipsStatic: (document: DocumentNode) => boolean = () => false,
): Plugin<GatewayContext>[] {
  const { maxEntities, maxCost } = limitsOf(config);
  const expose = !config.production;
  const costRule = costLimitRule({
    maxCost,
    exposeLimits: expose,
    propagateOnRejection: false,
    onReject: [
      (context, error) => {
        const message = expose
          ? error.message.replace(/^Syntax Error: /, '')
          : 'The operation costs more than this gateway allows.';
        const coded = refusal('COST_LIMIT_EXCEEDED', message, 400);
        if (!context) throw coded;
        context.reportError(coded);
      },
    ],
  });
  return [
    {
      onExecute({ args, setResultAndStopExecution }) {
        if (skipsStatic(args.document) || !hasEntities(args.document)) return;
        const fields = entityFields(args.document, (args.variableValues ?? {}) as Record<string, unknown>);
        if (fields.length === 0) return;
        const total = fields.reduce((n, f) => n + f.count, 0);
        if (total > maxEntities) {
          setResultAndStopExecution({
            errors: [
              refusal(
                'ENTITY_LIMIT_EXCEEDED',
                `This request asks for ${total} entities; the limit is ${maxEntities} per request (split the representations).`,
                400,
                {
                  extensions: { limit: maxEntities, requested: total },
                },
              ),
            ],
          });
          return;
        }
        const errors = validate(
          args.schema,
          withEntityCounts(args.document, new Map(fields.map((f) => [f.node, f.count]))),
          [costRule],
        );
        if (errors.length > 0) setResultAndStopExecution({ errors });
      },
    },
  ];
}
