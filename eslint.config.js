// Lint rules, including the layering rule of docs/architecture.md: imports point downwards only.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const layer = (dir, forbidden) => ({
  files: [`src/${dir}/**/*.ts`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: forbidden.map((f) => ({
          group: [`**/${f}/**`, `../${f}/*`, `../../${f}/*`],
          message: `src/${dir} may not import from src/${f}: imports point downwards only (docs/architecture.md).`,
        })),
      },
    ],
  },
});

export default tseslint.config(
  { ignores: ['node_modules/**', 'data/**', 'bench/results/**', '.tmp/**', 'dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        URL: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    // Type-aware rules: a promise nobody awaits is a write nobody waits for.
    files: ['src/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        // node:test collects describe/it itself: their promises are the runner's to await.
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite', 'before', 'after', 'beforeEach', 'afterEach'] }] },
      ],
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
    },
  },
  // The platform's layers, and the simulated world beside them: only the composition root (src/main.ts,
  // src/composition) wires the world in.
  layer('domain', ['gbcs', 'keys', 'world', 'store', 'services', 'api', 'cli', 'config', 'composition']),
  layer('gbcs', ['keys', 'world', 'store', 'services', 'api', 'cli', 'composition']),
  layer('keys', ['world', 'store', 'services', 'api', 'cli', 'composition']),
  // DUIS (XML service requests, their signatures, the transform): a mechanism beside gbcs and keys.
  layer('duis', ['world', 'store', 'services', 'api', 'cli', 'composition']),
  layer('store', ['world', 'services', 'jobs', 'api', 'cli', 'composition']),
  layer('services', ['world', 'jobs', 'api', 'cli', 'composition']),
  // The job runtime (pg-boss) behind the services' JobQueue port.
  layer('jobs', ['world', 'api', 'cli', 'composition']),
  layer('api', ['world', 'cli', 'composition']),
  layer('cli', ['world', 'composition']),
  layer('config', ['world', 'store', 'services', 'api', 'cli', 'composition']),
  layer('world', ['composition']),
  // The web pages talk to the platform over HTTP only: no import of src/ at all.
  {
    files: ['web/**/*.{ts,tsx}'],
    languageOptions: {
      globals: {
        window: 'readonly',
        document: 'readonly',
        localStorage: 'readonly',
        fetch: 'readonly',
        navigator: 'readonly',
        self: 'readonly',
        caches: 'readonly',
        indexedDB: 'readonly',
        location: 'readonly',
        crypto: 'readonly',
        AbortController: 'readonly',
        URLSearchParams: 'readonly',
        Blob: 'readonly',
        Response: 'readonly',
        Request: 'readonly',
        console: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        URL: 'readonly',
      },
    },
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/src/**', '../../src/*', '../../../src/*'], message: 'web/ talks to the platform over HTTP only (docs/architecture.md): no import of src/.' }] },
      ],
    },
  },
);
