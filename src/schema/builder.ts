import SchemaBuilder from '@pothos/core';
import DirectivePlugin from '@pothos/plugin-directives';
import FederationPlugin from '@pothos/plugin-federation';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import { DateTimeResolver } from 'graphql-scalars';
import { ForbiddenError } from '../domain/errors.js';
import { decodeId, encodeId, type NodeType } from '../domain/ids.js';
import type { Instant, Vendor } from '../domain/model.js';
import type { GatewayContext } from '../context.js';

export const builder = new SchemaBuilder<{
  Context: GatewayContext;
  Scalars: { DateTime: { Input: Date; Output: Date | Instant } };
  AuthScopes: { write: boolean };
  DefaultFieldNullability: false;
}>({
  // Federation last (after the plugins that wrap resolvers); it puts @key on the entities, which the directive
  // plugin turns into the SDL the subgraph printer reads.
  plugins: [ScopeAuthPlugin, RelayPlugin, DirectivePlugin, FederationPlugin],
  defaultFieldNullability: false,
  scopeAuth: {
    authScopes: async (ctx) => ({ write: ctx.principal.scopes.includes('workorders:write') }),
    unauthorizedError: () => new ForbiddenError('This operation needs the workorders:write scope'),
  },
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    nodeQueryOptions: false,
    nodesQueryOptions: false,
    // Relay's PageInfo is the same in every subgraph that pages: shareable, so a supergraph can hold several.
    pageInfoTypeOptions: { shareable: true },
    // Our ids carry the vendor as well as the type: `id` here is `VENDOR:key`.
    encodeGlobalID: (typename, id) => {
      const [vendor, ...rest] = String(id).split(':');
      return encodeId(typename as NodeType, vendor as Vendor, rest.join(':'));
    },
    decodeGlobalID: (globalID) => {
      const { type, vendor, key } = decodeId(globalID);
      return { typename: type, id: `${vendor}:${key}` };
    },
  },
});

builder.addScalarType('DateTime', DateTimeResolver);
builder.queryType({});
builder.mutationType({});
