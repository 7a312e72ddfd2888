import type { CodegenConfig } from '@graphql-codegen/cli';

// Typed documents for the partner catalog (operations/) and the example query, plus the persisted-documents
// manifest (hash -> document) that the gateway loads at start-up. `npm test` runs this with --check.
const config: CodegenConfig = {
  schema: 'schema.graphql',
  documents: ['operations/**/*.graphql'],
  ignoreNoDocuments: false,
  // The project is ESM with NodeNext resolution: generated imports need their `.js` extensions.
  emitLegacyCommonJSImports: false,
  generates: {
    'src/generated/': {
      preset: 'client',
      presetConfig: {
        persistedDocuments: { mode: 'embedHashInDocument', hashAlgorithm: 'sha256' },
        fragmentMasking: false,
      },
      config: { enumsAsTypes: true, scalars: { DateTime: 'string' }, useTypeImports: true },
    },
  },
};

export default config;
