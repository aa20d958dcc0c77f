// ESLint with typescript-eslint. Import boundaries: the renderer and shared code stay free of
// Node, Electron and the database driver; only src/main/electron may import electron.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const electronOnlyInShell = { name: 'electron', message: 'Only src/main/electron may import electron.', allowTypeImports: true };
const upperFloors = ['**/core/*', '**/config/*', '**/cli/*', '**/http/*', '**/electron/*'];

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'release/**', 'node_modules/**', 'tools/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { paths: [electronOnlyInShell] },
      ],
    },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}', 'src/shared/**/*.ts'],
    ignores: ['src/renderer/vite.config.ts'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      '@typescript-eslint/no-restricted-imports': 'off',
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: 'The renderer talks to window.phoenix; shared code stays pure.' },
            { name: 'mongodb', message: 'Database access lives in src/main/db.' },
            ...nodeBuiltins.map((name) => ({ name, message: 'No Node built-ins in renderer or shared code.' })),
          ],
          patterns: [{ group: ['**/main/**'], message: 'Renderer and shared code must not import the main process.' }],
        },
      ],
    },
  },
  {
    files: ['src/main/electron/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': 'off' },
  },
  // Layers (ARCHITECTURE.md): shells -> core (wiring, the API) -> services -> runs/runtime/db/observability -> shared.
  // Nothing below core/ reaches up into core/, config/ or a shell.
  {
    files: ['src/main/{collectors,processing,scheduler,searches,db,observability,runs,backup}/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [electronOnlyInShell],
          patterns: [{ group: upperFloors, message: 'Services and the floors below them never import core/, config/ or a shell: pass what they need in.' }],
        },
      ],
    },
  },
  // reports/ lays out documents (the property report) from what the core hands it: no electron (not even
  // its types: the shell passes a save function in), no renderer, no floor above the services (#23).
  {
    files: ['src/main/reports/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'src/main/reports never imports electron: the shell passes what it needs in (a save dialog as a function).' }],
          patterns: [
            { group: ['**/renderer/**'], message: 'src/main/reports never imports the renderer: share pure code through src/shared (figures: src/shared/format).' },
            { group: upperFloors, message: 'src/main/reports never imports core/, config/ or a shell: pass what it needs in.' },
          ],
        },
      ],
    },
  },
  // runtime/ holds primitives (clock, event bus, instance id, app root): nothing of ours but src/shared's types.
  {
    files: ['src/main/runtime/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [electronOnlyInShell],
          patterns: [{ regex: '^\\.\\./(?!\\.\\./shared/)', message: 'runtime/ imports nothing of ours but src/shared.' }],
        },
      ],
    },
  },
);
