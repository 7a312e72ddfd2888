import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

// The whole suite runs through the fast lane (execution/fast-lane.ts) and the lean path for catalog documents, as
// `npm start` serves. The tests of security, persisted operations, reads, faults and logs run a second time, as
// project `general-path`, with both off (every request through yoga's whole pipeline), so each of their
// assertions holds both ways.
const GENERAL_PATH_TESTS = [
  'test/integration/security-roles.test.ts',
  'test/integration/security-hostile.test.ts',
  'test/integration/first-hour.test.ts',
  'test/integration/read-graph.test.ts',
  'test/integration/faults.test.ts',
  'test/integration/log-capture.test.ts',
];

// graphql-jit runs queries and mutations by default (GATEWAY_JIT). The tests of reads, writes, errors and faults, the
// lane's byte-for-byte comparisons and federation run a second time, as project `graphql-js`, with GATEWAY_JIT=false,
// so each of their assertions holds with either executor (test/integration/jit.test.ts compares the two directly).
const GRAPHQL_JS_TESTS = [
  'test/integration/first-hour.test.ts',
  'test/integration/read-graph.test.ts',
  'test/integration/security-hostile.test.ts',
  'test/integration/faults.test.ts',
  'test/integration/fast-lane.test.ts',
  'test/integration/mutations.test.ts',
  'test/integration/federation-entities.test.ts',
  'test/integration/federation-supergraph.test.ts',
];

export default defineConfig({
  resolve: {
    // graphql 16 ships CJS (main) and ESM (module) builds. Node, and so yoga, loads the CJS one; Vite would pick the
    // ESM one for our sources, and two copies of graphql break `instanceof GraphQLError`. One copy, as in production.
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'default', include: ['test/**/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'general-path',
          include: GENERAL_PATH_TESTS,
          env: { GATEWAY_LEAN_PERSISTED: 'false', GATEWAY_FAST_LANE: 'false' },
        },
      },
      { extends: true, test: { name: 'graphql-js', include: GRAPHQL_JS_TESTS, env: { GATEWAY_JIT: 'false' } } },
    ],
  },
});
