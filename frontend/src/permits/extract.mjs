// The permit facts part of the OpenAPI document: {oneOf: [component names], schemas: {name: schema}} with
// every schema those members reference (enums), transitively. Plain JS: run by scripts/facts-schema.mjs.
export function extractFactsSchemas(spec) {
  const all = spec.components.schemas
  const members = all.PermitFactsRequest.oneOf.map((r) => r.$ref.split('/').pop())
  const schemas = {}
  const visit = (name) => {
    if (schemas[name]) return
    schemas[name] = all[name]
    JSON.stringify(all[name]).replace(/"#\/components\/schemas\/([A-Za-z0-9_]+)"/g, (_, ref) => {
      visit(ref)
      return ''
    })
  }
  members.forEach(visit)
  visit('TypeD44Enum')
  return { oneOf: members, schemas }
}
