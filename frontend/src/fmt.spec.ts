import { describe, expect, it } from 'vitest'
import { fmtDate, fmtDateTime, todayShanghai } from './fmt'

describe('fmt (Asia/Shanghai)', () => {
  it('shows a UTC instant in Shanghai time', () => {
    expect(fmtDateTime('2026-12-01T17:30:00Z')).toBe('2026-12-02 01:30')
    expect(fmtDate('2026-12-01T17:30:00Z')).toBe('2026-12-02')
  })
  it('keeps bare dates and tolerates empty values', () => {
    expect(fmtDate('2026-12-02')).toBe('2026-12-02')
    expect(fmtDateTime(null)).toBe('')
    expect(fmtDateTime('not a date')).toBe('')
  })
  it('today is the Shanghai date', () => {
    expect(todayShanghai(new Date('2026-12-01T16:00:00Z'))).toBe('2026-12-02')
  })
})
