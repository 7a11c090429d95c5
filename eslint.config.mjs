import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'bench/', '.real/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        Buffer: 'readonly',
        console: 'readonly',
        require: 'readonly',
        __filename: 'readonly',
        __dirname: 'readonly',
        URL: 'readonly',
        URLSearchParams: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        TextEncoder: 'readonly',
        fetch: 'readonly',
        AbortController: 'readonly',
        AbortSignal: 'readonly',
        Response: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }],
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  {
    files: ['test/**/*.ts', 'scripts/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['src/**/*.ts'],
    rules: {
      // stdout belongs to the credential: all output goes through src/cli/output.ts.
      'no-console': 'error',
    },
  },
  {
    files: ['src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '**/app/**',
                '**/adapters/**',
                '**/cli/**',
                '**/lazy/**',
                '**/main',
                'node:fs',
                'node:child_process',
                'node:net',
                'node:http',
                'node:https',
              ],
              message: 'domain/ is pure: no I/O and no other layer.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/app/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '**/adapters/**',
                '**/cli/**',
                '**/lazy/**',
                '**/main',
                'node:fs',
                'node:child_process',
                'node-vault',
                'jose',
                'proper-lockfile',
                'commander',
              ],
              message: 'app/ reaches the outside world only through the interfaces in app/ports/.',
            },
          ],
        },
      ],
    },
  },
  {
    // The dependency direction is main → cli → app → (domain, app/ports) ← adapters: only main.ts
    // and src/lazy/ (the parts main.ts loads) name an adapter; cli/ gets them through CliContext.
    files: ['src/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/adapters/**', '**/lazy/**', '**/main', 'node-vault', 'proper-lockfile'],
              message: 'cli/ gets adapters from main.ts through CliContext (cli/context.ts); their types are in app/ports/ and domain/.',
            },
          ],
        },
      ],
    },
  },
);
