import { describe, expect, it } from 'vitest'
import { assignHeader, initialMapping, mappingBody, unmappedHeaders, type DetectedSheet } from './importMapping'

const detected: DetectedSheet[] = [
  { sheet: '作业活动', columns: { point_code: '风险点/编号', l: '风险评价/L', e: '风险评价/E' }, unmapped_headers: ['备注', '暴露'] },
  { sheet: '设备设施', columns: { l: 'L', s: 'S' } },
]

describe('import mapping state', () => {
  it('starts from the detected mapping with unmapped headers pickable', () => {
    const [m] = initialMapping(detected)
    expect(m.headers).toEqual(['风险点/编号', '风险评价/L', '风险评价/E', '备注', '暴露'])
    expect(unmappedHeaders(m)).toEqual(['备注', '暴露'])
    expect(mappingBody(initialMapping(detected))).toBeNull()
  })

  it('moves a header to the field picked and frees the field it left', () => {
    const ms = initialMapping(detected)
    const m = assignHeader(ms[0], 'e', '暴露')
    expect(m.columns.e).toBe('暴露')
    expect(unmappedHeaders(m)).toEqual(['风险评价/E', '备注'])
    const moved = assignHeader(m, 'c', '暴露')
    expect(moved.columns.e).toBe('')
    expect(moved.columns.c).toBe('暴露')
    expect(mappingBody([moved, ms[1]])).toEqual({ sheet: '作业活动', columns: { point_code: '风险点/编号', l: '风险评价/L', c: '暴露' } })
  })

  it('unmaps a field with an empty header', () => {
    const m = assignHeader(initialMapping(detected)[1], 's', '')
    expect(mappingBody([m])).toEqual({ sheet: '设备设施', columns: { l: 'L' } })
  })
})
