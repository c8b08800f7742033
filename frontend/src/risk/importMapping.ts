// The import wizard's column-mapping state (风险分级管控清单 / 隐患台账 import, issue 15 §2): built from a dry run's
// `detected.sheets`, edited by picking which header feeds which field, sent back as the explicit mapping
// `{sheet, columns: {field: header}}` the import endpoints take (compliance/api/import_options.py).

export interface DetectedSheet {
  sheet: string
  method?: string | null
  header_rows?: number[]
  columns: Record<string, string>
  unmapped_headers?: string[]
  skipped_rows?: { row: number; reason: string }[]
}

export interface SheetMapping {
  sheet: string
  /** field → header ('' = not mapped) */
  columns: Record<string, string>
  /** every header of the sheet the user may pick (mapped first, then the unmapped ones) */
  headers: string[]
  edited: boolean
}

/** One editable mapping per detected sheet. */
export function initialMapping(sheets: readonly DetectedSheet[]): SheetMapping[] {
  return sheets.map((s) => {
    const mapped = Object.values(s.columns)
    const headers = [...mapped, ...(s.unmapped_headers ?? []).filter((h) => !mapped.includes(h))]
    return { sheet: s.sheet, columns: { ...s.columns }, headers, edited: false }
  })
}

/** Map `header` to `field` (a header feeds one field: it is taken from any other field); '' unmaps `field`. */
export function assignHeader(m: SheetMapping, field: string, header: string): SheetMapping {
  const columns: Record<string, string> = {}
  for (const [f, h] of Object.entries(m.columns)) columns[f] = header && h === header && f !== field ? '' : h
  columns[field] = header
  return { ...m, columns, edited: true }
}

/** Headers no field takes. */
export function unmappedHeaders(m: SheetMapping): string[] {
  const used = new Set(Object.values(m.columns).filter(Boolean))
  return m.headers.filter((h) => !used.has(h))
}

/** The explicit mapping body of the first edited sheet (the API takes one sheet's mapping), or null. */
export function mappingBody(ms: readonly SheetMapping[]): { sheet: string; columns: Record<string, string> } | null {
  const m = ms.find((x) => x.edited)
  if (!m) return null
  const columns = Object.fromEntries(Object.entries(m.columns).filter(([, h]) => h))
  return Object.keys(columns).length ? { sheet: m.sheet, columns } : null
}
