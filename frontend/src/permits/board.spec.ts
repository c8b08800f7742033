import { describe, expect, it } from 'vitest'
import { byState, gasMinutesLeft, overlaps, timelineBar, todayPeriod, weekPeriod } from './board'

// 2026-12-02 (a Wednesday) 01:30 UTC = 09:30 Asia/Shanghai
const now = new Date('2026-12-02T01:30:00Z')

describe('permit board periods', () => {
  it('today and this week are Asia/Shanghai days, the week from Monday', () => {
    const t = todayPeriod(now)
    expect(new Date(t.start).toISOString()).toBe('2026-12-01T16:00:00.000Z')
    expect(new Date(t.end).toISOString()).toBe('2026-12-02T16:00:00.000Z')
    const w = weekPeriod(now)
    expect(new Date(w.start).toISOString()).toBe('2026-11-29T16:00:00.000Z') // Monday 2026-11-30 00:00 +08
    expect(new Date(w.end).toISOString()).toBe('2026-12-06T16:00:00.000Z')
    // 23:30 Shanghai on Sunday is still that week
    expect(weekPeriod(new Date('2026-12-06T15:30:00Z')).start).toBe(w.start)
  })

  it('places permits overlapping the period by state, bars clipped to it', () => {
    const t = todayPeriod(now)
    const a = { planned_start: '2026-12-02T08:00:00+08:00', planned_end: '2026-12-02T14:00:00+08:00', state: 'approved' }
    const b = { planned_start: '2026-12-01T20:00:00+08:00', planned_end: '2026-12-02T06:00:00+08:00', state: 'in_progress' }
    const c = { planned_start: '2026-12-03T08:00:00+08:00', planned_end: '2026-12-03T10:00:00+08:00', state: 'approved' }
    expect([a, b, c].map((p) => overlaps(p, t))).toEqual([true, true, false])
    const cols = byState([a, b, c], t)
    expect(cols.approved).toEqual([a])
    expect(cols.in_progress).toEqual([b])
    expect(timelineBar(a, t)).toEqual({ left: (8 / 24) * 100, width: 25 })
    expect(timelineBar(b, t)).toEqual({ left: 0, width: 25 })
  })

  it('the gas clock counts down from 30 minutes after the latest sample', () => {
    expect(gasMinutesLeft([], now)).toBeNull()
    expect(gasMinutesLeft(['2026-12-02T09:10:00+08:00', '2026-12-02T09:20:00+08:00'], now)).toBe(20)
    expect(gasMinutesLeft(['2026-12-02T08:50:00+08:00'], now)).toBe(-10)
  })
})
