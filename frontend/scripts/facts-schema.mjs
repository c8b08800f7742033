// Writes src/permits/facts-schema.json: the permit facts schemas of openapi.json (the oneOf members of
// PermitFactsRequest and the enums they reference), so the permit wizard builds its facts form from the
// API's schema without bundling the whole 2.8 MB openapi.json. `npm run gen` runs it; a Vitest spec fails
// when the committed file differs from what openapi.json gives.
import { readFileSync, writeFileSync } from 'node:fs'
import { extractFactsSchemas } from '../src/permits/extract.mjs'

const spec = JSON.parse(readFileSync(new URL('../openapi.json', import.meta.url), 'utf8'))
writeFileSync(new URL('../src/permits/facts-schema.json', import.meta.url), JSON.stringify(extractFactsSchemas(spec), null, 1) + '\n')
