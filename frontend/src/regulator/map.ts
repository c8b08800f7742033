// 安全风险一张图 (issue 16 §1): the filters of GET /api/v1/audit/risk-map/ kept in the URL, and how each
// enterprise feature becomes an ECharts scatter point — coloured by its highest risk level (the API's
// colour: 红/橙/黄/蓝, grey 未评定; hexes of compliance/rules/colours.py via riskmap/levels), sized by
// open major hazards and ringed when it has overdue hazards.
import { LEVELS, UNASSESSED } from '@/riskmap/levels'

export interface MapFilters {
  town: string
  industry: string
  kind: string
  level: string[]
  overdue: boolean
  supervised: boolean
  live_permits: boolean
  major: boolean
}

export interface MapCounts {
  hazards_open: number
  hazards_overdue: number
  major_hazards_open: number
  supervised: number
  permits_live: number
}

export interface MapEnterprise {
  id: number
  name: string
  town_name: string
  industry: string
  kind_display: string
  level: string | null
  level_display?: string
  colour: string
  counts: MapCounts
}

export interface MapFeature {
  id: number
  geometry: { coordinates: number[] }
  properties: MapEnterprise
}

export const BOOLEAN_FILTERS = ['overdue', 'supervised', 'live_permits', 'major'] as const

export function emptyMapFilters(): MapFilters {
  return { town: '', industry: '', kind: '', level: [], overdue: false, supervised: false, live_permits: false, major: false }
}

type Query = Record<string, string | string[] | null | undefined | (string | null)[]>

/** Filters from the route's query (unknown keys ignored; booleans are 'true'). */
export function mapFiltersFromQuery(q: Query): MapFilters {
  const one = (v: Query[string]) => (Array.isArray(v) ? String(v[0] ?? '') : String(v ?? ''))
  const many = (v: Query[string]) => (v == null ? [] : (Array.isArray(v) ? v : [v]).filter((x): x is string => !!x))
  const f = emptyMapFilters()
  f.town = one(q.town)
  f.industry = one(q.industry)
  f.kind = one(q.kind)
  f.level = many(q.level)
  for (const b of BOOLEAN_FILTERS) f[b] = one(q[b]) === 'true'
  return f
}

/** The query of the filters for the URL and the API: only the set ones ('true' for the booleans). */
export function queryFromMapFilters(f: MapFilters): Record<string, string | string[]> {
  const q: Record<string, string | string[]> = {}
  if (f.town) q.town = f.town
  if (f.industry) q.industry = f.industry
  if (f.kind) q.kind = f.kind
  if (f.level.length) q.level = [...f.level]
  for (const b of BOOLEAN_FILTERS) if (f[b]) q[b] = 'true'
  return q
}

/** The map legend: the four levels and 未评定, each with its standard hex. */
export const MAP_LEGEND = [...LEVELS.map((l) => ({ level: l.level, colour: l.colour, label: l.label, hex: l.hex })),
  { level: 'none', colour: 'grey', label: '未评定', hex: UNASSESSED.hex }]

/** The hex of an API colour code ('red' → #FF0000; unknown → grey). */
export function colourHex(colour: string): string {
  return MAP_LEGEND.find((l) => l.colour === colour)?.hex ?? UNASSESSED.hex
}

/** Symbol size in px: 10, +4 per open major hazard (at most +16), +4 with overdue hazards. */
export function symbolSize(c: MapCounts): number {
  return 10 + Math.min(c.major_hazards_open, 4) * 4 + (c.hazards_overdue > 0 ? 4 : 0)
}

export interface ScatterPoint {
  name: string
  value: [number, number]
  id: number
  symbolSize: number
  itemStyle: { color: string; borderColor: string; borderWidth: number }
}

/** One scatter point per located enterprise: red ring (2 px, dark) when it has overdue hazards. */
export function scatterPoints(features: readonly MapFeature[]): ScatterPoint[] {
  return features.map((f) => {
    const p = f.properties
    const overdue = p.counts.hazards_overdue > 0
    return {
      name: p.name,
      value: [f.geometry.coordinates[0], f.geometry.coordinates[1]],
      id: p.id,
      symbolSize: symbolSize(p.counts),
      itemStyle: { color: colourHex(p.colour), borderColor: overdue ? '#5c0000' : '#ffffff', borderWidth: overdue ? 3 : 1 },
    }
  })
}

/** The tooltip line of an enterprise. */
export function tooltipText(p: MapEnterprise): string {
  const c = p.counts
  return `${p.name}<br/>${p.level_display || '未评定'} · ${p.town_name || ''}<br/>未销号隐患 ${c.hazards_open}（重大 ${c.major_hazards_open}，逾期 ${c.hazards_overdue}）<br/>挂牌督办 ${c.supervised} · 作业票 ${c.permits_live}`
}
