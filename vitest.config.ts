import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

// The tests of persisted operations run twice: by the lean path for catalog documents (the default, and the whole
// suite's way) and, as project `general-path`, with GATEWAY_LEAN_PERSISTED=false, so every assertion holds both ways.
const PERSISTED_OPERATION_TESTS = [
  'test/integration/security-roles.test.ts',
  'test/integration/security-hostile.test.ts',
  'test/integration/first-hour.test.ts',
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
          include: PERSISTED_OPERATION_TESTS,
          env: { GATEWAY_LEAN_PERSISTED: 'false' },
        },
      },
    ],
  },
});
