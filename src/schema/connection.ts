import type { InterfaceRef, ObjectRef, SchemaTypes } from '@pothos/core';
import type { GraphQLResolveInfo } from 'graphql';
import { Kind, responsePathAsArray, type SelectionSetNode } from 'graphql';
import type { GatewayContext } from '../context.js';
import { UpstreamError } from '../domain/errors.js';
import { partialError } from '../errors.js';
import type { ConnectionPage, Edge } from '../loaders/concat.js';
import { builder } from './builder.js';

type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer X extends SchemaTypes> ? X : never;

/** `<Name>Connection { edges { cursor node } pageInfo totalCount }` over a loader's ConnectionPage. */
export function connectionOf<T>(name: string, node: ObjectRef<Types, T> | InterfaceRef<Types, T>) {
  const edge = builder.objectRef<Edge<T>>(`${name}Edge`).implement({
    fields: (t) => ({
      cursor: t.exposeString('cursor'),
      node: t.expose('node', { type: node as ObjectRef<Types, T> }),
    }),
  });
  return builder.objectRef<ConnectionPage<T>>(`${name}Connection`).implement({
    fields: (t) => ({
      edges: t.expose('edges', { type: [edge] }),
      pageInfo: t.expose('pageInfo', { type: builder.pageInfoRef() }),
      totalCount: t.exposeInt('totalCount', {
        description: 'Matching records across every vendor asked (and reachable).',
      }),
    }),
  });
}

/** Whether the query selects `field` directly under this field (through fragments too): work only some need. */
export function selects(info: GraphQLResolveInfo, field: string): boolean {
  const visit = (set: SelectionSetNode | undefined, seen: Set<string>): boolean =>
    (set?.selections ?? []).some((s) => {
      if (s.kind === Kind.FIELD) return s.name.value === field;
      if (s.kind === Kind.INLINE_FRAGMENT) return visit(s.selectionSet, seen);
      if (seen.has(s.name.value)) return false;
      seen.add(s.name.value);
      return visit(info.fragments[s.name.value]?.selectionSet, seen);
    });
  return info.fieldNodes.some((node) => visit(node.selectionSet, new Set()));
}

/** Vendors that failed while others answered: the answer keeps the others' data and names each failed vendor. */
export function reportFailures(ctx: GatewayContext, failures: readonly UpstreamError[], info: GraphQLResolveInfo) {
  const path = responsePathAsArray(info.path);
  for (const failure of failures) ctx.partialErrors.push(partialError(failure, path));
}

/** Runs a list-valued relation; a vendor failure there empties only that list and is reported with its path. */
export async function listOrReport<T>(
  ctx: GatewayContext,
  info: GraphQLResolveInfo,
  load: () => Promise<T[]>,
): Promise<T[]> {
  try {
    return await load();
  } catch (err) {
    if (!(err instanceof UpstreamError)) throw err;
    ctx.partialErrors.push(partialError(err, responsePathAsArray(info.path)));
    return [];
  }
}
