import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import vue from '@vitejs/plugin-vue'
import Components from 'unplugin-vue-components/vite'
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers'

const alias = { '@shared': resolve(import.meta.dirname, 'shared') }

export default defineConfig({
  main: {
    resolve: { alias },
    build: {
      rollupOptions: { input: { index: resolve(import.meta.dirname, 'electron/main/index.ts') } },
    },
  },
  preload: {
    resolve: { alias },
    build: {
      // A sandboxed preload can require only 'electron': bundle everything else (zod) into it.
      externalizeDeps: false,
      // A sandboxed preload cannot load ES modules: emit one CommonJS file.
      rollupOptions: {
        input: { index: resolve(import.meta.dirname, 'electron/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(import.meta.dirname, 'renderer'),
    resolve: {
      alias: [
        { find: '@shared', replacement: alias['@shared'] },
        // messages are plain functions (renderer/src/i18n): the runtime-only build, no compiler
        { find: /^vue-i18n$/, replacement: 'vue-i18n/dist/vue-i18n.runtime.esm-bundler.js' },
      ],
    },
    define: {
      // vue-i18n: Composition API only, no devtools hooks, no message compiler (messages are
      // functions): nothing is compiled or evaluated at run time, as script-src 'self' requires.
      __VUE_I18N_FULL_INSTALL__: 'true',
      __VUE_I18N_LEGACY_API__: 'false',
      __INTLIFY_PROD_DEVTOOLS__: 'false',
      __INTLIFY_JIT_COMPILATION__: 'true',
      __INTLIFY_DROP_MESSAGE_COMPILER__: 'true',
      __VUE_PROD_DEVTOOLS__: 'false',
      // every component is <script setup>: Vue's Options API support is dead weight at start-up
      __VUE_OPTIONS_API__: 'false',
      __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
    },
    build: {
      rollupOptions: { input: { index: resolve(import.meta.dirname, 'renderer/index.html') } },
      // electron-vite leaves the renderer unminified; the login screen's budget is in gzip KB
      // of parsed JavaScript (bench/workspace.ts), and minified code also parses faster
      minify: true,
    },
    plugins: [
      vue(),
      // Element Plus components and their CSS, imported on demand where a template uses them
      Components({
        dirs: [],
        dts: resolve(import.meta.dirname, 'renderer/src/components.d.ts'),
        resolvers: [ElementPlusResolver({ importStyle: 'css' })],
      }),
    ],
  },
})
