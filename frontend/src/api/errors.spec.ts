import { describe, expect, it } from 'vitest'
import { errorCode, mapApiErrors } from './errors'

describe('mapApiErrors', () => {
  const body = {
    type: 'validation_error',
    errors: [
      { code: 'required', detail: '该字段是必填项。', attr: 'description' },
      { code: 'invalid', detail: '照片无效。', attr: 'photos.0' },
      { code: 'invalid_transition', detail: '当前状态不能执行。', attr: 'state' },
      { code: 'permission_denied', detail: '无权操作。', attr: null },
    ],
  }

  it('puts each error on the field its attr names, nested attrs on their head field', () => {
    const m = mapApiErrors(body, ['description', 'photos'])
    expect(m.fields).toEqual({ description: '该字段是必填项。', photos: '照片无效。' })
  })

  it('shows the errors of other attrs and of none as the message', () => {
    expect(mapApiErrors(body, ['description', 'photos']).message).toBe('当前状态不能执行。；无权操作。')
  })

  it('joins two errors of one field', () => {
    const m = mapApiErrors({ errors: [{ code: 'a', detail: 'A', attr: 'x' }, { code: 'b', detail: 'B', attr: 'x' }] }, ['x'])
    expect(m.fields.x).toBe('A；B')
  })

  it('gives a generic message for a body that is not coded', () => {
    expect(mapApiErrors('<html>', ['x'], 502).message).toBe('请求失败（HTTP 502）')
    expect(mapApiErrors(undefined, ['x']).message).toBe('网络错误，请稍后重试')
  })

  it('errorCode reads the first code', () => {
    expect(errorCode(body)).toBe('required')
    expect(errorCode(null)).toBe('')
  })
})
