import { describe, expect, it } from 'vitest'
import { aggregate, highestLevel, lastMonths, type EnterpriseSummaryRow } from './overview'

function row(id: number, name: string, industry: string, levels: Record<string, number>, states: Record<string, number>, overdue = 0, majors = 0): EnterpriseSummaryRow {
  return { id, name, division_code: '370322', industry, summary: { risk_points_by_level: levels, hazards_by_state: states, hazards_overdue: overdue, major_hazards_open: majors, permits_live: 1 } }
}

describe('jurisdiction overview', () => {
  const rows = [
    row(1, '甲', '化工', { major: 0, high: 2, low: 5 }, { rectifying: 2, closed: 3, rejected: 4 }, 2, 1),
    row(2, '乙', '化工', { major: 1 }, { accepted: 1, reported: 2 }, 5, 0),
    row(3, '丙', '', {}, {}),
  ]

  it('takes the most severe level with points, none when unassessed', () => {
    expect(highestLevel(rows[0])).toBe('high')
    expect(highestLevel(rows[1])).toBe('major')
    expect(highestLevel(rows[2])).toBe('')
  })

  it('counts enterprises by level and industry', () => {
    const o = aggregate(rows)
    expect(o.enterprises).toBe(3)
    expect(Object.fromEntries(o.byLevel.map((x) => [x.level, x.count]))).toEqual({ major: 1, high: 1, moderate: 0, low: 0, '': 1 })
    expect(o.byIndustry).toEqual([{ industry: '化工', count: 2 }, { industry: '未填写', count: 1 }])
  })

  it('rate = accepted + closed over hazards found (rejected reports left out)', () => {
    const o = aggregate(rows)
    expect(o.hazardsFound).toBe(8)
    expect(o.hazardsFixed).toBe(4)
    expect(o.rectificationRate).toBe(50)
    expect(aggregate([rows[2]]).rectificationRate).toBeNull()
  })

  it('ranks the top enterprises by overdue and by open majors, zeros left out', () => {
    const o = aggregate(rows)
    expect(o.topOverdue.map((x) => x.id)).toEqual([2, 1])
    expect(o.topMajors).toEqual([{ id: 1, name: '甲', count: 1 }])
    expect(o.overdue).toBe(7)
    expect(o.majorsOpen).toBe(1)
    expect(o.permitsLive).toBe(3)
  })
})

describe('lastMonths', () => {
  it('gives the months up to today with their first and last days, across a year', () => {
    expect(lastMonths('2026-02-14', 3)).toEqual([
      { month: '2025-12', first: '2025-12-01', last: '2025-12-31' },
      { month: '2026-01', first: '2026-01-01', last: '2026-01-31' },
      { month: '2026-02', first: '2026-02-01', last: '2026-02-28' },
    ])
  })
})
