import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import vue from 'eslint-plugin-vue'
import prettier from 'eslint-config-prettier'
import globals from 'globals'

/**
 * Runtime layers, as in VS Code: shared/ is common to both sides and imports from neither;
 * renderer/ runs sandboxed in Chromium and never reaches into electron/ (it talks to main only
 * through the preload's typed global); the Electron-free core never imports `electron`.
 */
const layer = (files, patterns, message) => ({
  files,
  rules: {
    'no-restricted-imports': ['error', { patterns: [{ group: patterns, message }] }],
  },
})

export default tseslint.config(
  {
    ignores: ['node_modules/', 'out/', 'dist/', 'release/', 'test-results/', 'bench-results/'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...vue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
  },
  {
    files: ['renderer/**/*.{ts,vue}', 'tests/renderer/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['**/*.{ts,vue,js}'],
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  layer(
    ['shared/**'],
    ['**/electron/**', '**/renderer/**', 'electron', 'electron/*', 'vue', 'pinia'],
    'shared/ is imported by main and renderer alike: it may not import from electron/, renderer/ or a runtime.',
  ),
  layer(
    ['renderer/**'],
    ['**/electron/**', 'electron', 'electron/*', 'node:*'],
    'renderer/ reaches main only through window.callcenter (the preload API); never import electron/ or Node.',
  ),
  layer(
    [
      'electron/core/**',
      'electron/sandbox/**',
      'electron/cli/**',
      'electron/services/**',
      'electron/ipc/**',
      'electron/bridge/**',
    ],
    ['electron', 'electron/*', '**/renderer/**', '**/main/**', '**/preload/**'],
    'Only electron/main and electron/preload may import Electron: the rest runs in plain Node (tests, web bridge, tools).',
  ),
  prettier,
)
