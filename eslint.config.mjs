import js from '@eslint/js';
import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';

/** Node's built-in modules by their bare names ('fs', 'path'): neither the page nor common/ may load them. */
const NODE_BUILTINS = builtinModules.map((name) => ({ name, message: 'A Node built-in: not in the page, not in common/.' }));

export default tseslint.config(
  { ignores: ['out/**', 'node_modules/**', 'test-artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: {
          allowDefaultProject: ['*.mjs', 'scripts/*.mjs', 'bin/*.mjs', 'test/cli/import-recorder/*.mjs'],
          // the plain .mjs scripts (about ten small files) are not in a tsconfig; the default of 8 is too few
          maximumDefaultProjectFileMatchCount_THIS_WILL_SLOW_DOWN_LINTING: 16,
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.{ts,tsx}'],
    rules: {
      // Only the thin Electron shell may load electron at run time; everything else runs in plain Node.
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'Only main/shell and preload may import electron at run time.', allowTypeImports: true }],
          patterns: [{ group: ['electron/*'], allowTypeImports: true }],
        },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "MemberExpression[object.name='process'][property.name='env'][parent.type='MemberExpression'][parent.property.name=/^YOTI/]", message: 'Never take the Yoti API URL from ambient environment variables.' },
        // The namespace object behind `{ z }` keeps all of zod in a bundle (~200 KB more for each command to load).
        { selector: "ImportDeclaration[source.value='zod'] > ImportSpecifier[imported.name='z']", message: "Import zod as `import * as z from 'zod'`: bundlers can tree-shake it." },
      ],
    },
  },
  { files: ['main/shell/**', 'preload/**'], rules: { '@typescript-eslint/no-restricted-imports': 'off' } },
  // Where a file lives says where it runs (VS Code's layering): common/ runs anywhere, main/ in Node,
  // renderer/ in the page. The page takes from outside renderer/ only common/ and the preload's types.
  {
    files: ['renderer/**/*.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The page never loads electron.' }, ...NODE_BUILTINS],
          patterns: [
            { group: ['node:*', 'electron/*'], message: 'The page runs in the browser: no Node, no Electron.' },
            { group: ['**/main/**', '**/main'], message: 'The page imports only from common/ (and the preload\'s types): main/ runs in Node.' },
            { group: ['**/preload/**'], allowTypeImports: true, message: 'From the preload the page takes only types (import type).' },
          ],
        },
      ],
    },
  },
  {
    files: ['common/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'common/ runs anywhere: no Electron.' }, ...NODE_BUILTINS],
          patterns: [
            { group: ['node:*', 'electron/*'], message: 'common/ runs anywhere: no Node built-ins.' },
            { group: ['**/main/**', '**/main', '**/renderer/**', '**/preload/**'], message: 'common/ imports only from common/ and neutral packages.' },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        ...['window', 'document', 'navigator', 'localStorage', 'Buffer', 'process', 'require', '__dirname', '__filename', 'global'].map((name) => ({
          name,
          message: `common/ runs in Node and in the page alike: ${name} exists in only one of them.`,
        })),
      ],
    },
  },
  {
    files: ['**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);
