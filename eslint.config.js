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
  { ignores: ['node_modules/**', 'data/**', 'bench/results/**', '.tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: ['error', 'smart'],
    },
  },
  layer('domain', ['gbcs', 'keys', 'devices', 'store', 'services', 'api', 'cli', 'config']),
  layer('gbcs', ['keys', 'devices', 'store', 'services', 'api', 'cli']),
  layer('keys', ['devices', 'store', 'services', 'api', 'cli']),
  layer('devices', ['store', 'services', 'api', 'cli']),
  layer('store', ['devices', 'services', 'api', 'cli']),
  layer('services', ['api', 'cli']),
  layer('api', ['cli']),
);
