// The first page's JS, gzipped: the entry chunk and every chunk it imports statically (from Vite's
// manifest), plus the login page's own chunk (the first page of a signed-out visit). Fails above the
// budget of CONSOLE.md (500 kB gzipped).
import { readFileSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { join } from 'node:path'

const BUDGET = 500 * 1024
const dist = new URL('../dist/', import.meta.url).pathname
const manifest = JSON.parse(readFileSync(join(dist, '.vite/manifest.json'), 'utf8'))

const seen = new Set()
function walk(key) {
  if (seen.has(key)) return
  seen.add(key)
  for (const dep of manifest[key].imports ?? []) walk(dep)
}
const entries = Object.keys(manifest).filter((k) => manifest[k].isEntry)
entries.forEach(walk)
const login = Object.keys(manifest).find((k) => k.endsWith('views/LoginView.vue'))
if (login) walk(login)

let total = 0
const rows = []
for (const key of seen) {
  const file = manifest[key].file
  if (!file.endsWith('.js')) continue
  const size = gzipSync(readFileSync(join(dist, file))).length
  total += size
  rows.push([file, size])
}
rows.sort((a, b) => b[1] - a[1])
for (const [file, size] of rows) console.log(`  ${(size / 1024).toFixed(1).padStart(8)} kB gz  ${file}`)
const kb = (total / 1024).toFixed(1)
if (total > BUDGET) {
  console.error(`first page JS: ${kb} kB gzipped — over the budget of ${BUDGET / 1024} kB`)
  process.exit(1)
}
console.log(`first page JS: ${kb} kB gzipped (budget ${BUDGET / 1024} kB)`)
