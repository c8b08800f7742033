// The first page's JS, gzipped, from Vite's manifest: the entry chunk with every chunk it imports
// statically, plus the login page's own chunks (the first page of a visit). Fails above the budget of
// CONSOLE.md (500 kB gzipped), and so does the 工作台 a signed-in officer lands on (the desktop layout,
// the dashboard and the ECharts chunk it loads after the first paint).
import { readFileSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { join } from 'node:path'

const BUDGET = 500 * 1024
const dist = new URL('../dist/', import.meta.url).pathname
const manifest = JSON.parse(readFileSync(join(dist, '.vite/manifest.json'), 'utf8'))
const sizes = new Map()
const gz = (file) => {
  if (!sizes.has(file)) sizes.set(file, gzipSync(readFileSync(join(dist, file))).length)
  return sizes.get(file)
}

/** The chunks of `keys` and their static imports; `dynamic`: also the dynamic imports of these keys. */
function closure(keys, dynamic = []) {
  const seen = new Set()
  const walk = (key) => {
    if (!manifest[key] || seen.has(key)) return
    seen.add(key)
    for (const dep of manifest[key].imports ?? []) walk(dep)
  }
  keys.forEach(walk)
  for (const key of dynamic) for (const dep of manifest[key]?.dynamicImports ?? []) walk(dep)
  return seen
}

const find = (suffix) => Object.keys(manifest).find((k) => k.endsWith(suffix))
const entries = Object.keys(manifest).filter((k) => manifest[k].isEntry)
const pages = {
  login: closure([...entries, find('views/LoginView.vue')]),
  dashboard: closure([...entries, find('layouts/DesktopLayout.vue'), find('views/e/DashboardView.vue')], [find('views/e/DashboardView.vue')]),
}

let failed = false
const budgeted = new Set(['login', 'dashboard'])
for (const [name, keys] of Object.entries(pages)) {
  const files = [...keys].map((k) => manifest[k].file).filter((f) => f.endsWith('.js'))
  const total = files.reduce((n, f) => n + gz(f), 0)
  const what = name === 'login' ? `first page JS (${name})` : `${name} page JS, with its ECharts chunk`
  console.log(`${what}: ${(total / 1024).toFixed(1)} kB gzipped${budgeted.has(name) ? ` (budget ${BUDGET / 1024} kB)` : ''}`)
  for (const f of files.sort((a, b) => gz(b) - gz(a))) console.log(`  ${(gz(f) / 1024).toFixed(1).padStart(8)} kB  ${f}`)
  if (total > BUDGET && budgeted.has(name)) {
    console.error(`  over the budget of ${BUDGET / 1024} kB`)
    failed = true
  }
}
process.exit(failed ? 1 : 0)
