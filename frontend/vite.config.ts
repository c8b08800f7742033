/// <reference types="vitest/config" />
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import { fileURLToPath, URL } from 'node:url'

// Built assets are served by Django (whitenoise) under /static/console/; index.html by the history
// fallback at / (backend/console). `npm run dev` serves at / and proxies the API to `make run` (:8000).
const backend = process.env.SF_BACKEND ?? 'http://127.0.0.1:8000'

export default defineConfig(({ command }) => ({
  base: command === 'build' ? '/static/console/' : '/',
  plugins: [vue()],
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
        // ECharts (charts, the risk map) and Element Plus each in their own chunk (CONSOLE.md budget).
        manualChunks(id: string) {
          if (id.includes('node_modules/echarts') || id.includes('node_modules/zrender') || id.includes('node_modules/vue-echarts')) return 'echarts'
          if (id.includes('node_modules/element-plus') || id.includes('node_modules/@element-plus')) return 'element-plus'
          return undefined
        },
      },
    },
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.spec.ts'],
  },
}))
