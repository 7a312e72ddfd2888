import { printSubgraphSchema } from '@apollo/subgraph';
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { builder } from './builder.js';
import './enums.js';
import './work-order.js';
import './product.js';
import './route.js';
import './operation.js';
import './warehouse.js';
import './inventory.js';
import './vendor-info.js';
import './node.js';
import { buildSubgraphSchema } from './entities.js';

export const schema: GraphQLSchema = builder.toSchema();

let subgraph: GraphQLSchema | undefined;

/** The same graph as a Federation v2 subgraph (`_service`, `_entities`), served to routers; built on first use. */
export function subgraphSchema(): GraphQLSchema {
  return (subgraph ??= buildSubgraphSchema());
}

/** The SDL committed as schema.graphql: sorted, so it only changes when the schema does. */
export function printedSchema(): string {
  return `${printSchema(lexicographicSortSchema(schema)).trim()}\n`;
}

/** The subgraph SDL committed as schema.subgraph.graphql: what `{ _service { sdl } }` answers. */
export function printedSubgraphSchema(): string {
  return `${printSubgraphSchema(subgraphSchema()).trim()}\n`;
}
