/// <reference types="vitest/config" />
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import Components from 'unplugin-vue-components/vite'
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers'
import { fileURLToPath, URL } from 'node:url'

// Built assets are served by Django (whitenoise) under /static/console/; index.html by the history
// fallback at / (backend/console). `npm run dev` serves at / and proxies the API to `make run` (:8000).
const backend = process.env.SF_BACKEND ?? 'http://127.0.0.1:8000'

export default defineConfig(({ command }) => ({
  base: command === 'build' ? '/static/console/' : '/',
  // <el-…> tags resolve to on-demand imports of just those components (the global stylesheet is in main.ts).
  plugins: [vue(), Components({ resolvers: [ElementPlusResolver({ importStyle: false })], dts: false })],
  resolve: { alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) } },
  server: {
    port: 5173,
    proxy: { '/api': backend, '/media': backend, '/admin': backend, '/static/admin': backend },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    manifest: true, // scripts/bundle-size.mjs reads .vite/manifest.json for the first page's chunks
    chunkSizeWarningLimit: 1500,
    rolldownOptions: {
      output: {
        // ECharts (charts, the risk map) and Element Plus each in their own chunk (CONSOLE.md budget), Vue
        // (with its router and store) in its own, claimed first (highest priority) so that it is not pulled
        // into the ECharts chunk as a dependency of vue-echarts: no page but the charts' loads ECharts.
        codeSplitting: {
          groups: [
            { name: 'echarts', test: /node_modules[\\/](echarts|zrender|vue-echarts)[\\/]/, priority: 10 },
            { name: 'element-plus', test: /node_modules[\\/](element-plus|@element-plus)[\\/]/, priority: 20 },
            { name: 'vue', test: /node_modules[\\/](@vue|vue|vue-router|pinia)[\\/]/, priority: 30 },
          ],
        },
      },
    },
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.spec.ts'],
  },
}))
