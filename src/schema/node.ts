import { decodeId } from '../domain/ids.js';
import { builder } from './builder.js';
import { NodeInterface } from './ids.js';

builder.queryField('node', (t) =>
  t.field({
    type: NodeInterface,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, ctx) => ctx.loaders.node(decodeId(String(id))),
  }),
);
