import { describe, expect, it } from 'vitest'
import { permitPoints } from './permitMap'

describe('permit map layer', () => {
  it('one point per permit with coordinates, coloured by level (most severe red)', () => {
    const pts = permitPoints([
      { id: 1, permit_no: 'DH-1', level: 'special', coordinates: [117.8, 37.17] },
      { id: 2, permit_no: 'GC-1', level: 'I', coordinates: [117.81, 37.16] },
      { id: 3, permit_no: 'SX-1', level: 'first', coordinates: null },
      { id: 4, permit_no: 'DT-1', level: '', coordinates: [117.7, 37.1] },
    ])
    expect(pts.map((p) => p.id)).toEqual([1, 2, 4])
    expect(pts[0]).toMatchObject({ name: 'DH-1', value: [117.8, 37.17], itemStyle: { color: '#FF0000' } })
    expect(pts[1].itemStyle.color).toBe('#0000FF')
    expect(pts[2].itemStyle.color).toBe('#9E9E9E')
  })
})
