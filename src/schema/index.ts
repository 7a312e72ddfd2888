import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { builder } from './builder.js';
import './enums.js';
import './work-order.js';
import './work-order-change.js';
import './product.js';
import './route.js';
import './operation.js';
import './warehouse.js';
import './inventory.js';
import './vendor-info.js';
import './node.js';

export const schema: GraphQLSchema = builder.toSchema();

/** The SDL committed as schema.graphql: sorted, so it only changes when the schema does. */
export function printedSchema(): string {
  return `${printSchema(lexicographicSortSchema(schema)).trim()}\n`;
}
