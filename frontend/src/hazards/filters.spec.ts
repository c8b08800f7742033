import { describe, expect, it } from 'vitest'
import { emptyFilters, filtersFromQuery, queryFromFilters } from './filters'

describe('hazard filters', () => {
  it('reads the dashboard link query (repeated state, overdue)', () => {
    const f = filtersFromQuery({ state: ['reported', 'confirmed'], overdue: 'true' })
    expect(f.state).toEqual(['reported', 'confirmed'])
    expect(f.overdue).toBe('true')
    expect(f.page).toBe(1)
  })
  it('a single value is a list of one; junk is dropped', () => {
    const f = filtersFromQuery({ state: 'closed', overdue: 'maybe', page: '-3' })
    expect(f.state).toEqual(['closed'])
    expect(f.overdue).toBe('')
    expect(f.page).toBe(1)
  })
  it('round-trips and leaves empty filters out', () => {
    const f = { ...emptyFilters(), grade: 'major', source: ['employee_report'], page: 2 }
    const q = queryFromFilters(f)
    expect(q).toEqual({ grade: 'major', source: ['employee_report'], page: '2' })
    expect(filtersFromQuery(q)).toEqual(f)
    expect(queryFromFilters(emptyFilters())).toEqual({})
  })
})
