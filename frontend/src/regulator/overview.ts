// 辖区总览 (issue 16 §2): the jurisdiction's figures aggregated from GET /api/v1/audit/enterprises/summary/
// (one row per enterprise: risk points by level, hazards by state, overdue, open majors, live permits).
import { RISK_LEVEL_COLOURS, RISK_LEVEL_LABELS, HAZARD_STATE_LABELS } from '@/labels'

export interface EnterpriseSummaryRow {
  id: number
  name: string
  division_code: string
  industry: string
  summary: {
    risk_points_by_level?: Record<string, number>
    hazards_by_state?: Record<string, number>
    hazards_overdue?: number
    major_hazards_open?: number
    permits_live?: number
  }
}

/** Most severe first (compliance.rules.assessment.RiskLevel). */
export const LEVEL_ORDER = ['major', 'high', 'moderate', 'low'] as const
/** Hazard states that count as rectified (accepted, closed); rejected reports are not hazards. */
const FIXED = new Set(['accepted', 'closed'])

/** The highest level among an enterprise's risk points ('' when it has none). */
export function highestLevel(row: EnterpriseSummaryRow): string {
  const by = row.summary.risk_points_by_level ?? {}
  return LEVEL_ORDER.find((lv) => (by[lv] ?? 0) > 0) ?? ''
}

export interface Overview {
  enterprises: number
  byLevel: { level: string; label: string; colour: string; count: number }[]
  byIndustry: { industry: string; count: number }[]
  hazardsByState: { state: string; label: string; count: number }[]
  hazardsFound: number
  hazardsFixed: number
  /** accepted + closed over all non-rejected hazards, in percent with one decimal; null without hazards. */
  rectificationRate: number | null
  overdue: number
  majorsOpen: number
  permitsLive: number
  topOverdue: { id: number; name: string; count: number }[]
  topMajors: { id: number; name: string; count: number }[]
}

function top(rows: EnterpriseSummaryRow[], pick: (r: EnterpriseSummaryRow) => number) {
  return rows
    .map((r) => ({ id: r.id, name: r.name, count: pick(r) }))
    .filter((x) => x.count > 0)
    .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name, 'zh-CN'))
    .slice(0, 10)
}

/** The jurisdiction's overview from every enterprise's summary row. */
export function aggregate(rows: EnterpriseSummaryRow[]): Overview {
  const levels: Record<string, number> = {}
  const industries: Record<string, number> = {}
  const states: Record<string, number> = {}
  let overdue = 0, majorsOpen = 0, permitsLive = 0
  for (const r of rows) {
    const lv = highestLevel(r)
    levels[lv] = (levels[lv] ?? 0) + 1
    const ind = r.industry || '未填写'
    industries[ind] = (industries[ind] ?? 0) + 1
    for (const [st, n] of Object.entries(r.summary.hazards_by_state ?? {})) states[st] = (states[st] ?? 0) + n
    overdue += r.summary.hazards_overdue ?? 0
    majorsOpen += r.summary.major_hazards_open ?? 0
    permitsLive += r.summary.permits_live ?? 0
  }
  const found = Object.entries(states).filter(([s]) => s !== 'rejected').reduce((a, [, n]) => a + n, 0)
  const fixed = Object.entries(states).filter(([s]) => FIXED.has(s)).reduce((a, [, n]) => a + n, 0)
  return {
    enterprises: rows.length,
    byLevel: [...LEVEL_ORDER, ''].map((lv) => ({
      level: lv, label: lv ? RISK_LEVEL_LABELS[lv] : '未评定', colour: lv ? RISK_LEVEL_COLOURS[lv] : '#9e9e9e', count: levels[lv] ?? 0,
    })),
    byIndustry: Object.entries(industries).map(([industry, count]) => ({ industry, count })).sort((a, b) => b.count - a.count),
    hazardsByState: Object.keys(HAZARD_STATE_LABELS).map((s) => ({ state: s, label: HAZARD_STATE_LABELS[s], count: states[s] ?? 0 })),
    hazardsFound: found,
    hazardsFixed: fixed,
    rectificationRate: found ? Math.round((fixed / found) * 1000) / 10 : null,
    overdue, majorsOpen, permitsLive,
    topOverdue: top(rows, (r) => r.summary.hazards_overdue ?? 0),
    topMajors: top(rows, (r) => r.summary.major_hazards_open ?? 0),
  }
}

export function levelPieOption(o: Overview) {
  return {
    tooltip: { trigger: 'item' },
    series: [{
      type: 'pie', radius: ['35%', '65%'],
      data: o.byLevel.filter((x) => x.count > 0).map((x) => ({ name: x.label, value: x.count, itemStyle: { color: x.colour } })),
    }],
  }
}

export function barOption(names: string[], values: number[], colour = '#1f6fd1') {
  return {
    tooltip: { trigger: 'axis' },
    grid: { left: 40, right: 10, top: 20, bottom: 50 },
    xAxis: { type: 'category', data: names, axisLabel: { interval: 0, rotate: names.length > 5 ? 30 : 0 } },
    yAxis: { type: 'value', minInterval: 1 },
    series: [{ type: 'bar', data: values, itemStyle: { color: colour } }],
  }
}

/** The last `n` months up to the one of `today` (YYYY-MM-DD): `{month: 'YYYY-MM', first, last}` oldest first. */
export function lastMonths(today: string, n: number): { month: string; first: string; last: string }[] {
  const [y, m] = today.split('-').map(Number)
  const out = []
  for (let i = n - 1; i >= 0; i--) {
    const d = new Date(Date.UTC(y, m - 1 - i, 1))
    const end = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0))
    const iso = (x: Date) => x.toISOString().slice(0, 10)
    out.push({ month: iso(d).slice(0, 7), first: iso(d), last: iso(end) })
  }
  return out
}

export function monthlyOption(months: string[], found: number[], fixed: number[], overdue: number[]) {
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 40, right: 10, top: 30, bottom: 30 },
    xAxis: { type: 'category', data: months },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      { name: '发现', type: 'bar', data: found, itemStyle: { color: '#1f6fd1' } },
      { name: '已整改', type: 'bar', data: fixed, itemStyle: { color: '#67c23a' } },
      { name: '超期', type: 'bar', data: overdue, itemStyle: { color: '#e02020' } },
    ],
  }
}
