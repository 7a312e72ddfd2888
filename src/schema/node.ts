import { decodeId } from '../domain/ids.js';
import { builder } from './builder.js';
import { NodeInterface } from './ids.js';

builder.queryField('node', (t) =>
  t.field({
    type: NodeInterface,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, ctx) => {
      const decoded = decodeId(String(id));
      const record = await ctx.loaders.node(decoded);
      // The id names the type, so no guessing from the record's shape.
      return { ...(record as object), __typename: decoded.type };
    },
  }),
);
