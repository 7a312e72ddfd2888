import type { GraphQLFieldResolver, GraphQLSchema } from 'graphql';
import type { GatewayContext } from '../context.js';
import { ValidationError } from '../domain/errors.js';
import { WORK_ORDER_TYPE, decodeId, type NodeType } from '../domain/ids.js';
import { builder } from './builder.js';
import { ProductType, RouteType } from './refs.js';
import {
  DotZeroWorkOrderType,
  GenericMesWorkOrderType,
  PitneyBowesWorkOrderType,
  WorkOrderInterface,
} from './work-order.js';

export const FEDERATION_LINK = 'https://specs.apollo.dev/federation/v2.6';

/** Entity typenames a router may send, and the global-id types each accepts. */
const ENTITY_TYPES: Readonly<Record<string, readonly NodeType[]>> = {
  WorkOrder: ['DotZeroWorkOrder', 'GenericMesWorkOrder', 'PitneyBowesWorkOrder'],
  DotZeroWorkOrder: ['DotZeroWorkOrder'],
  GenericMesWorkOrder: ['GenericMesWorkOrder'],
  PitneyBowesWorkOrder: ['PitneyBowesWorkOrder'],
  Product: ['Product'],
  Route: ['Route'],
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Checks one representation without any vendor call: an object naming one of our entity types, carrying its key
 * (`id`, a global id of that type). `at` is where the router wrote it (`representations[3]`).
 */
export function checkRepresentation(
  rep: unknown,
  at: string,
): { typename: NodeType; vendor: ReturnType<typeof decodeId>['vendor']; key: string } {
  if (!isObject(rep)) throw new ValidationError(`${at} is not an object`, at);
  const typename = rep.__typename;
  if (typeof typename !== 'string' || typename === '')
    throw new ValidationError(`${at} has no __typename`, `${at}.__typename`);
  const accepted = Object.hasOwn(ENTITY_TYPES, typename) ? ENTITY_TYPES[typename] : undefined;
  if (!accepted) {
    throw new ValidationError(
      `${at}: "${typename.slice(0, 64)}" is not an entity of this subgraph (${Object.keys(ENTITY_TYPES).join(', ')})`,
      `${at}.__typename`,
    );
  }
  if (rep.id === undefined || rep.id === null)
    throw new ValidationError(`${at} is missing its key field "id"`, `${at}.id`);
  if (typeof rep.id !== 'string') throw new ValidationError(`${at}.id must be a string (a global id)`, `${at}.id`);
  const id = decodeId(rep.id, `${at}.id`);
  if (!accepted.includes(id.type))
    throw new ValidationError(`${at}.id is a ${id.type} id, not a ${typename} id`, `${at}.id`);
  if ((ENTITY_TYPES.WorkOrder as readonly NodeType[]).includes(id.type) && WORK_ORDER_TYPE[id.vendor] !== id.type) {
    throw new ValidationError(`${at}.id: ${id.type} is not a ${id.vendor} type`, `${at}.id`);
  }
  return { typename: id.type, vendor: id.vendor, key: id.key };
}

/** One entity through the per-request loaders (so vendor scope and batching are those of any query). */
export async function resolveEntity(rep: unknown, ctx: GatewayContext, at = 'representation'): Promise<object> {
  const { typename, vendor, key } = checkRepresentation(rep, at);
  const record =
    typename === 'Product'
      ? await ctx.loaders.product(vendor, key)
      : typename === 'Route'
        ? await ctx.loaders.route(vendor, key)
        : await ctx.loaders.workOrder(vendor, key);
  // The id names the concrete type, so the _Entity union needs no guessing.
  return { ...(record as object), __typename: typename };
}

const key = builder.selection<{ id: string }>('id');
const byReference = (rep: { id: string }, ctx: GatewayContext) => resolveEntity(rep, ctx) as never;

// The interface's key is on each implementation too, as Federation requires of interface entities.
builder.asEntity(WorkOrderInterface, { key, resolveReference: byReference });
builder.asEntity(DotZeroWorkOrderType, { key, resolveReference: byReference });
builder.asEntity(GenericMesWorkOrderType, { key, resolveReference: byReference });
builder.asEntity(PitneyBowesWorkOrderType, { key, resolveReference: byReference });
builder.asEntity(ProductType, { key, resolveReference: byReference });
builder.asEntity(RouteType, { key, resolveReference: byReference });

/**
 * `_entities` with each representation on its own: @apollo/subgraph's resolver fails the whole list when one
 * representation names an unknown type (it throws while mapping). Here every item is checked and loaded alone, so a
 * bad one is a null entity with its own coded error and the others still resolve. All items are asked in the same
 * tick, so the loaders batch them exactly as they batch a query's fields.
 */
const entitiesResolver: GraphQLFieldResolver<unknown, GatewayContext, { representations: unknown[] }> = (
  _root,
  args,
  ctx,
) =>
  args.representations.map((rep, i) =>
    resolveEntity(rep, ctx, `representations[${i}]`).catch((err: unknown) => err as Error),
  );

/** The schema a federation router sees: the API schema plus `_service` and `_entities`, Federation v2 SDL. */
export function buildSubgraphSchema(): GraphQLSchema {
  const schema = builder.toSubGraphSchema({ linkUrl: FEDERATION_LINK, federationDirectives: ['@key', '@shareable'] });
  const entities = schema.getQueryType()?.getFields()._entities;
  if (!entities) throw new Error('The subgraph schema has no _entities field');
  entities.resolve = entitiesResolver as GraphQLFieldResolver<unknown, unknown>;
  return schema;
}
