import vue from '@vitejs/plugin-vue'
import Components from 'unplugin-vue-components/vite'
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          include: [
            'tests/unit/**/*.test.ts',
            'tests/ipc/**/*.test.ts',
            'tests/fleet/**/*.test.ts',
          ],
          environment: 'node',
        },
      },
      {
        extends: true,
        // the same on-demand Element Plus components as the build, without their CSS
        plugins: [
          vue(),
          Components({
            dirs: [],
            dts: false,
            resolvers: [ElementPlusResolver({ importStyle: false })],
          }),
        ],
        define: {
          __VUE_I18N_FULL_INSTALL__: 'true',
          __VUE_I18N_LEGACY_API__: 'false',
          __INTLIFY_PROD_DEVTOOLS__: 'false',
        },
        test: {
          name: 'renderer',
          include: ['tests/renderer/**/*.test.ts'],
          environment: 'happy-dom',
        },
      },
    ],
  },
})
