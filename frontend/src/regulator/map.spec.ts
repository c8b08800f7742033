import { describe, expect, it } from 'vitest'
import { colourHex, emptyMapFilters, mapFiltersFromQuery, queryFromMapFilters, scatterPoints, symbolSize, type MapFeature } from './map'

const counts = { hazards_open: 0, hazards_overdue: 0, major_hazards_open: 0, supervised: 0, permits_live: 0 }

describe('risk map filters', () => {
  it('round-trips through the URL query, only set filters', () => {
    const f = { ...emptyMapFilters(), town: '370322102', level: ['major', 'high'], overdue: true }
    const q = queryFromMapFilters(f)
    expect(q).toEqual({ town: '370322102', level: ['major', 'high'], overdue: 'true' })
    expect(mapFiltersFromQuery(q)).toEqual(f)
  })
  it('reads a single level and ignores a false boolean', () => {
    const f = mapFiltersFromQuery({ level: 'none', supervised: 'false' })
    expect(f.level).toEqual(['none'])
    expect(f.supervised).toBe(false)
  })
})

describe('risk map points', () => {
  it('colours by the API colour with the standard hexes', () => {
    expect(colourHex('red')).toBe('#FF0000')
    expect(colourHex('orange')).toBe('#FFA500')
    expect(colourHex('yellow')).toBe('#FFFF00')
    expect(colourHex('blue')).toBe('#0000FF')
    expect(colourHex('grey')).toBe('#9E9E9E')
  })
  it('sizes by open majors and overdue', () => {
    expect(symbolSize(counts)).toBe(10)
    expect(symbolSize({ ...counts, major_hazards_open: 2 })).toBe(18)
    expect(symbolSize({ ...counts, major_hazards_open: 9, hazards_overdue: 1 })).toBe(30)
  })
  it('makes one point per feature at its coordinates, overdue ringed', () => {
    const f: MapFeature = { id: 7, geometry: { coordinates: [117.75, 37.07] }, properties: { id: 7, name: 'A', town_name: '高城镇', industry: '化工', kind_display: '', level: 'major', colour: 'red', counts: { ...counts, hazards_overdue: 3 } } }
    const [p] = scatterPoints([f])
    expect(p.value).toEqual([117.75, 37.07])
    expect(p.itemStyle.color).toBe('#FF0000')
    expect(p.itemStyle.borderWidth).toBe(3)
    expect(p.id).toBe(7)
  })
})
