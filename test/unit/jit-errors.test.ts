// What graphql-jit leaves to the gateway to make graphql-js's (src/execution/jit.ts), on a schema small enough to
// reach what the simulators cannot: a null for a non-null field (graphql-js's error is a plain Error, which masking
// hides as unexpected), a value a scalar cannot serialize (the scalar's GraphQLError, shown), list items, a union
// with one response key on different fields per member. Each answer, masked as the gateway masks, must be the same
// JSON text as graphql-js's.
import { buildSchema, execute, parse, type ExecutionResult } from 'graphql';
import { describe, expect, it } from 'vitest';
import { maskError } from '../../src/errors.js';
import { JitPlans } from '../../src/execution/jit.js';

const schema = buildSchema(`
  type Query { a: A, nn: String!, bad: Int, list: [A!], items: [A], u: [U!]! }
  type A { x: String!, y: String }
  type B { x: Int, z: A }
  union U = A | B
`);
const rootValue = {
  a: { x: null, y: 'y' },
  nn: null,
  bad: 'not-an-int',
  list: [{ x: '1' }, { x: null }],
  items: [{ x: '1' }, { x: null }, new Error('item failed')],
  u: [
    { __typename: 'B', x: 1, z: { x: null } },
    { __typename: 'A', x: null },
  ],
};

const masked = (result: ExecutionResult) =>
  JSON.stringify({
    ...(result.errors ? { errors: result.errors.map((e) => maskError(e, 'rid')) } : {}),
    ...('data' in result ? { data: result.data } : {}),
  });

const plans = new JitPlans();
const both = async (query: string) => {
  const document = parse(query);
  const a = await plans.execute({ schema, document, rootValue });
  const b = await execute({ schema, document, rootValue });
  return { jit: masked(a), js: masked(b), keys: Object.keys(a), jsKeys: Object.keys(b) };
};

describe('graphql-jit errors made graphql-js errors', () => {
  it.each([
    ['a null for a non-null field, nested', '{ a { y x } }', 'Unexpected error.'],
    ['a null for a non-null root field: data null', '{ bad nn }', '"data":null'],
    ['a value Int cannot serialize', '{ bad }', 'Int cannot represent'],
    ['a null item in a list of non-null items', '{ list { x } }', '"path":["list",1,"x"]'],
    ['an Error as a list item', '{ items { y } }', 'Unexpected error.'],
    [
      'one key, a non-null field in one union member and a nullable one in the other: data null',
      '{ u { ... on A { k: x } ... on B { k: z { x } } } }',
      '"data":null',
    ],
  ])('%s', async (_name, query, shows) => {
    const { jit, js, keys, jsKeys } = await both(query);
    expect(jit).toBe(js);
    expect(keys).toEqual(jsKeys);
    expect(jit).toContain(shows);
  });

  it('documents graphql-jit would trim wrongly stay on graphql-js; the others are compiled', () => {
    const plan = (query: string) => plans.get(schema, parse(query), null);
    expect(plan('{ u { ... on A { k: x } ... on B { k: z { x } } } }')).toBeNull();
    expect(plan('{ u { ... on A { k: y } ... on B { k: z { x } } } }')).not.toBeNull();
    expect(plan('{ u { ... on A { x } ... on B { z { x } } } }')).not.toBeNull();
  });

  it('one plan per operation: named or not when it is the only one; none for no name among several', () => {
    const one = parse('query A { a { y } }');
    expect(plans.get(schema, one, 'A')).toBe(plans.get(schema, one, null));
    const two = parse('query A { a { y } } query B { bad }');
    expect(plans.get(schema, two, 'A')?.operation.name?.value).toBe('A');
    expect(plans.get(schema, two, 'B')?.operation.name?.value).toBe('B');
    expect(plans.get(schema, two, null)).toBeNull();
    expect(plans.get(schema, two, 'C')).toBeNull();
  });

  it('known difference: where a non-null field and a nullable one both fail, the errors are the same but graphql-jit lists the nullable fields first', async () => {
    const { jit, js } = await both('{ items { x } }');
    const sorted = (text: string) => (JSON.parse(text).errors as unknown[]).map((e) => JSON.stringify(e)).sort();
    expect(sorted(jit)).toEqual(sorted(js));
    expect(JSON.parse(jit).data).toEqual(JSON.parse(js).data);
    expect(jit).not.toBe(js);
  });
});

describe('the fast-json-stringify stand-in', () => {
  it('keeps ajv unloaded with graphql-jit, and hands over to the real module when called', async () => {
    const { createRequire } = await import('node:module');
    new JitPlans();
    const require = createRequire(import.meta.url);
    const fromJit = createRequire(require.resolve('graphql-jit'));
    const loadedAjv = () => Object.keys(require.cache).some((k) => /[\\/]ajv[\\/]/.test(k));
    expect(loadedAjv()).toBe(false);
    const build = fromJit('fast-json-stringify') as (schema: object) => (value: unknown) => string;
    const stringify = build({ type: 'object', properties: { n: { type: 'integer' } } });
    expect(stringify({ n: 3, other: 'dropped' })).toBe('{"n":3}');
    expect(loadedAjv()).toBe(true);
  });
});
