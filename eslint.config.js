import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import vue from 'eslint-plugin-vue'
import prettier from 'eslint-config-prettier'
import globals from 'globals'
import { importX } from 'eslint-plugin-import-x'
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript'

/**
 * Runtime layers, as in VS Code: each arrow points one way and this file enforces every one,
 * by resolved path (not by how the import is spelt):
 *
 *   shared ← core ← services ← ipc ← main / bridge / cli
 *   sandbox → core's envelope primitives only (it judges requests by its own tables)
 *   preload → shared;  renderer → shared (values only from the zod-free modules)
 *
 * Only electron/main and electron/preload import Electron: the rest runs in plain Node.
 */
const E = './electron'
const everythingBut = (...keep) =>
  ['core', 'services', 'ipc', 'main', 'bridge', 'preload', 'sandbox', 'cli']
    .filter((l) => !keep.includes(l))
    .map((l) => `${E}/${l}`)
const zone = (target, from, message, except) => ({
  target,
  from,
  message,
  ...(except ? { except } : {}),
})
const layerZones = [
  zone('./shared', ['./electron', './renderer'], 'shared/ imports from neither side.'),
  zone('./electron/core', [...everythingBut('core'), './renderer'], 'core imports shared only.'),
  zone(
    './electron/services',
    [...everythingBut('core', 'services'), './renderer'],
    'services import core and shared only (the host injects the sandbox; errors are core/app-error).',
  ),
  zone(
    './electron/ipc',
    [...everythingBut('core', 'services', 'ipc'), './renderer'],
    'ipc sits below main and bridge.',
  ),
  zone(
    './electron/main',
    [`${E}/bridge`, `${E}/cli`, `${E}/preload`, './renderer'],
    'main never loads the dev-only bridge.',
  ),
  zone(
    './electron/bridge',
    [`${E}/main`, `${E}/cli`, `${E}/preload`, './renderer'],
    'the bridge never loads Electron main.',
  ),
  zone(
    './electron/cli',
    [`${E}/main`, `${E}/bridge`, `${E}/preload`, './renderer'],
    'tools run in plain Node.',
  ),
  zone(
    './electron/preload',
    [...everythingBut(), './renderer'],
    'the preload knows only the contract.',
  ),
  zone(
    './electron/sandbox',
    [...everythingBut('core', 'sandbox'), './renderer'],
    'the sandbox is a referee: it may not use our client, services or door.',
  ),
  zone(
    './electron/sandbox',
    `${E}/core`,
    "the sandbox shares only the envelope primitives (pinned by the spec's vector and RFC 6229); its rules are its own tables.",
    ['./datacenter/envelope.ts', './datacenter/rc4.ts'],
  ),
  zone('./renderer', ['./electron'], 'renderer/ reaches main only through window.callcenter.'),
]

const electronOnlyInMain = {
  files: ['electron/**', 'shared/**', 'scripts/**', 'bench/**'],
  ignores: ['electron/main/**', 'electron/preload/**'],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          {
            regex: '^electron(/|$)',
            message: 'Only electron/main and electron/preload may import Electron.',
          },
        ],
      },
    ],
  },
}

// zod probes `new Function` when a schema module loads, which the renderer's CSP reports as a
// violation: the screens import types from anywhere in shared/, values only from these.
const zodFreeShared = [
  'values',
  'fields',
  'calllog-columns',
  'calllog-contact',
  'ipc/channels',
  'ipc/errors',
  'remote-error',
  'softphone-outcome',
  'softphone-defaults',
]
const rendererPatterns = [
  {
    group: ['**/shared/**', ...zodFreeShared.map((m) => `!**/shared/${m}`)],
    allowTypeImports: true,
    message: 'The renderer imports values only from the zod-free shared modules (CSP).',
  },
  { group: ['zod', 'zod/*'], message: 'No zod in the renderer (CSP).' },
  {
    group: ['electron', 'electron/*', 'node:*'],
    message: 'No Electron or Node in the renderer.',
  },
]
const restrictImports = (patterns) => ({
  '@typescript-eslint/no-restricted-imports': ['error', { patterns }],
})
const rendererImports = {
  files: ['renderer/**/*.{ts,vue}'],
  rules: restrictImports(rendererPatterns),
}
// Screens call stores and stores call main: a rule entry replaces the one above for these files,
// so it repeats the renderer's patterns.
const screensUseStores = {
  files: ['renderer/src/components/**', 'renderer/src/views/**', 'renderer/src/composables/**'],
  rules: restrictImports([
    ...rendererPatterns,
    {
      group: ['**/api', '**/api/**'],
      message: 'Components, views and composables call a Pinia store, never the API.',
    },
  ]),
}

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
  {
    files: ['**/*.{ts,vue,js}'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [
        createTypeScriptImportResolver({
          project: 'tsconfig.*.json',
          noWarnOnMultipleProjects: true,
        }),
      ],
    },
    rules: { 'import-x/no-restricted-paths': ['error', { zones: layerZones }] },
  },
  electronOnlyInMain,
  rendererImports,
  screensUseStores,
  {
    files: zodFreeShared.map((m) => `shared/${m}.ts`),
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex:
                '^(zod(/|$)|\\.\\.?/(.*/)?(domain|settings|profile|connection-profile|ipc/contract)$)',
              message:
                'This module is loaded by the renderer: it may not load zod, even indirectly.',
            },
          ],
        },
      ],
    },
  },
  prettier,
)
