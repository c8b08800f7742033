// The hazard list's filters ⇄ the URL query (so the dashboard's links and the browser's back button
// show the same list), and ⇄ the API's query parameters (GET /api/v1/hazards/).
import type { LocationQuery } from 'vue-router'

export interface HazardFilters {
  state: string[]
  source: string[]
  grade: string
  overdue: '' | 'true' | 'false'
  risk_point: string
  q: string
  found_after: string
  found_before: string
  page: number
}

export function emptyFilters(): HazardFilters {
  return { state: [], source: [], grade: '', overdue: '', risk_point: '', q: '', found_after: '', found_before: '', page: 1 }
}

function list(v: LocationQuery[string]): string[] {
  if (v === undefined || v === null) return []
  return (Array.isArray(v) ? v : [v]).filter((x): x is string => !!x)
}

function one(v: LocationQuery[string]): string {
  return list(v)[0] ?? ''
}

export function filtersFromQuery(query: LocationQuery): HazardFilters {
  const overdue = one(query.overdue)
  const page = Number.parseInt(one(query.page), 10)
  return {
    state: list(query.state),
    source: list(query.source),
    grade: one(query.grade),
    overdue: overdue === 'true' || overdue === 'false' ? overdue : '',
    risk_point: one(query.risk_point),
    q: one(query.q),
    found_after: one(query.found_after),
    found_before: one(query.found_before),
    page: Number.isFinite(page) && page > 0 ? page : 1,
  }
}

/** The URL query (and the API parameters) of the filters: empty ones left out. */
export function queryFromFilters(f: HazardFilters): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {}
  if (f.state.length) out.state = [...f.state]
  if (f.source.length) out.source = [...f.source]
  for (const k of ['grade', 'overdue', 'risk_point', 'q', 'found_after', 'found_before'] as const) if (f[k]) out[k] = f[k]
  if (f.page > 1) out.page = String(f.page)
  return out
}
